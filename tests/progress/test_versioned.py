"""A process's copy of versioned cache entries: bounded in size and age, off without Redis."""

from __future__ import annotations

import pytest

from apps.progress import versioned
from apps.progress.versioned import VersionedEntries


@pytest.fixture(autouse=True)
def _shared_cache(settings) -> None:
    settings.SHARED_CACHE = True


def test_it_keeps_the_most_recently_used_entries() -> None:
    entries = VersionedEntries(size=2, max_age=60)
    entries.keep("a:1", "A")
    entries.keep("b:1", "B")
    assert entries.get("a:1") == "A"  # a is now the most recent
    entries.keep("c:1", "C")
    assert entries.get("b:1") is None
    assert (entries.get("a:1"), entries.get("c:1")) == ("A", "C")


def test_an_entry_is_dropped_once_older_than_its_age(monkeypatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(versioned.time, "monotonic", lambda: now[0])
    entries = VersionedEntries(size=8, max_age=60)
    entries.keep("a:1", "A")
    now[0] += 59
    assert entries.get("a:1") == "A"
    now[0] += 2
    assert entries.get("a:1") is None


def test_without_a_shared_cache_it_keeps_nothing(settings) -> None:
    settings.SHARED_CACHE = False
    entries = VersionedEntries(size=8, max_age=60)
    entries.keep("a:1", "A")
    assert entries.get("a:1") is None


@pytest.mark.django_db
def test_on_commit_once_runs_once_per_key_and_commit(django_capture_on_commit_callbacks) -> None:
    from django.db import transaction

    ran: list[str] = []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        versioned.on_commit_once("a", lambda: ran.append("a1"))
        versioned.on_commit_once("b", lambda: ran.append("b"))
        versioned.on_commit_once("a", lambda: ran.append("a2"))
        assert ran == []  # nothing before the commit
    assert ran == ["a1", "b"]
    with django_capture_on_commit_callbacks(execute=True):  # the next commit: runs again
        versioned.on_commit_once("a", lambda: ran.append("a3"))
    assert ran == ["a1", "b", "a3"]


@pytest.mark.django_db
def test_a_callback_rolled_back_with_its_savepoint_holds_back_no_later_one(
    django_capture_on_commit_callbacks,
) -> None:
    from django.db import transaction

    ran: list[str] = []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                versioned.on_commit_once("a", lambda: ran.append("rolled back"))
                raise RuntimeError
        except RuntimeError:
            pass
        versioned.on_commit_once("a", lambda: ran.append("kept"))
    assert ran == ["kept"]


@pytest.mark.django_db
def test_one_graded_attempt_moves_the_learners_version_once(alice, committed) -> None:
    # The service tells the learner's versions, and the progress row's receiver hears the
    # save: one bump of each key between them, not one each.
    from django.core.cache import cache
    from django.utils import timezone

    from apps.curriculum.models import Exercise
    from apps.progress.selectors import learner_version_key
    from apps.progress.services import exercise_progress_record_attempt

    key = learner_version_key(alice.pk)
    cache.set(key, 100, timeout=None)
    committed(
        exercise_progress_record_attempt,
        user=alice,
        exercise=Exercise.objects.get(slug="softmax"),
        submission_id=1,
        score=1.0,
        passed=True,
        failed_checks=[],
        at=timezone.now(),
    )
    assert cache.get(key) == 101
