"""The cohort dashboard is cached per cohort version: it must never show stale progress."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.curriculum.models import Exercise
from apps.progress.services import cohort_join, exercise_progress_record_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shared_cache(settings) -> None:
    # One test process: its local-memory cache is as shared as Redis would be.
    settings.SHARED_CACHE = True


def a_failed_softmax_attempt(user) -> None:
    exercise_progress_record_attempt(
        user=user,
        exercise=Exercise.objects.get(slug="softmax"),
        submission_id=1,
        score=0.5,
        passed=False,
        failed_checks=["stable for logits near 1000"],
        at=timezone.now(),
    )


def test_a_new_attempt_shows_on_the_next_dashboard_view(
    client,
    alice,
    teacher,
    make_cohort,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
) -> None:
    cohort = make_cohort(teacher, [alice])
    client.force_login(teacher)
    url = f"/dashboard/{cohort.pk}/"
    assert "Nobody in this cohort has submitted" in client.get(url).content.decode()
    with django_assert_max_num_queries(6):  # cached: no cohort matrix queries at all
        client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        a_failed_softmax_attempt(alice)
    page = client.get(url).content.decode()
    assert "Nobody in this cohort has submitted" not in page
    assert "stable for logits near 1000" in page


def test_a_learner_joining_shows_on_the_next_dashboard_view(
    client, alice, teacher, make_cohort, django_capture_on_commit_callbacks
) -> None:
    cohort = make_cohort(teacher, [])
    client.force_login(teacher)
    url = f"/dashboard/{cohort.pk}/"
    assert "alice" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the version moves on commit
        cohort_join(user=alice, join_code=cohort.join_code)
    assert "alice" in client.get(url).content.decode()


def test_a_lost_cohort_version_never_brings_back_an_old_dashboard(
    client, alice, teacher, make_cohort
) -> None:
    # Redis evicted the version, or deleted it after an outage: the next view must not
    # find the body cached before the learner joined under a version number reused.
    from django.core.cache import cache

    from apps.progress.selectors import cohort_version_key

    cohort = make_cohort(teacher, [])
    client.force_login(teacher)
    url = f"/dashboard/{cohort.pk}/"
    assert "alice" not in client.get(url).content.decode()
    cohort_join(user=alice, join_code=cohort.join_code)
    cache.delete(cohort_version_key(cohort.pk))
    assert "alice" in client.get(url).content.decode()


def test_a_concept_check_answered_wrong_shows_on_the_next_dashboard_view(
    client, alice, teacher, make_cohort, django_capture_on_commit_callbacks
) -> None:
    from apps.curriculum.models import Question
    from apps.progress.questions import question_answer

    cohort = make_cohort(teacher, [alice])
    client.force_login(teacher)
    url = f"/dashboard/{cohort.pk}/"
    assert "0 / 1" not in client.get(url).content.decode()
    question = Question.objects.get(name="largest-exponent", retired=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert not question_answer(user=alice, question=question, answer="123456").feedback.correct
    assert "0 / 1" in client.get(url).content.decode()


def test_the_cohort_progress_api_is_cached_per_version_and_never_stale(
    alice, teacher, make_cohort, django_capture_on_commit_callbacks, django_assert_max_num_queries
) -> None:
    from rest_framework.test import APIClient

    cohort = make_cohort(teacher, [alice])
    api = APIClient()
    api.force_authenticate(teacher)
    url = f"/api/v1/cohorts/{cohort.pk}/progress/"
    first = api.get(url).json()
    assert first["scores"] == [[None] * len(first["exercises"])]
    with django_assert_max_num_queries(2):  # the cohort and its instructor check, no matrix
        assert api.get(url).json() == first

    with django_capture_on_commit_callbacks(execute=True):
        a_failed_softmax_attempt(alice)
    after = api.get(url).json()
    column = [e["slug"] for e in after["exercises"]].index("softmax")
    assert after["scores"][0][column] == 0.5

    cohort.name = "Renamed"
    cohort.save(update_fields=["name"])  # a rename moves no version: read fresh
    assert api.get(url).json()["cohort"]["name"] == "Renamed"


def test_another_instructor_never_gets_a_cached_cohort_progress(
    alice, teacher, make_user, make_cohort
) -> None:
    from rest_framework.test import APIClient

    from apps.progress.models import Role

    cohort = make_cohort(teacher, [alice])
    mine, theirs = APIClient(), APIClient()
    mine.force_authenticate(teacher)
    theirs.force_authenticate(make_user("mallory", role=Role.INSTRUCTOR))
    url = f"/api/v1/cohorts/{cohort.pk}/progress/"
    assert mine.get(url).status_code == 200
    assert theirs.get(url).status_code == 404


def test_a_process_keeps_its_copy_of_the_body_and_still_sees_every_change(
    client, alice, teacher, make_cohort, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    from django.core.cache import cache

    cohort = make_cohort(teacher, [alice])
    client.force_login(teacher)
    url = f"/dashboard/{cohort.pk}/"
    client.get(url)  # rendered, and kept by this process
    asked: list[str] = []
    real_get_many = cache.get_many

    def get_many(keys, *args, **kwargs):
        asked.extend(keys)
        return real_get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", get_many)
    assert "Nobody in this cohort has submitted" in client.get(url).content.decode()
    assert not any(key.startswith("cohort-dashboard:") for key in asked), asked

    with django_capture_on_commit_callbacks(execute=True):
        a_failed_softmax_attempt(alice)
    page = client.get(url).content.decode()
    assert "stable for logits near 1000" in page


def test_the_cohort_page_finds_the_cohort_among_the_instructors_in_one_query(
    client, alice, teacher, make_cohort, make_user, django_assert_max_num_queries
) -> None:
    from apps.progress.models import Role

    cohort = make_cohort(teacher, [alice])
    make_cohort(teacher, [], name="Another")
    client.force_login(teacher)
    url = f"/dashboard/{cohort.pk}/"
    client.get(url)
    # The session (from the database in tests): the instructor's cohorts, each marked an
    # LMS course or not (the grades-to-the-LMS panel), come from the cache.
    with django_assert_max_num_queries(1):
        page = client.get(url).content.decode()
    assert "Another" in page  # the switcher still lists the others
    client.force_login(make_user("mallory", role=Role.INSTRUCTOR))
    assert client.get(url).status_code == 404


def test_a_deadline_deleted_outside_the_services_leaves_the_dashboard_panel(
    client, alice, teacher, make_cohort, committed
) -> None:
    # The admin, or a cascade (its exercise or module deleted), deletes deadlines without
    # ``deadline_remove``: the model's receiver moves the panel's version all the same.
    from datetime import timedelta

    from apps.progress.deadlines import deadline_set
    from apps.progress.models import Deadline

    cohort = make_cohort(teacher, [alice])
    softmax = Exercise.objects.get(slug="softmax")
    due = timezone.now() + timedelta(days=3)
    committed(deadline_set, cohort=cohort, instructor=teacher, due_at=due, exercise=softmax)
    client.force_login(teacher)
    url = f"/dashboard/{cohort.pk}/"
    assert 'id="deadline-marks"' in client.get(url).content.decode()
    committed(Deadline.objects.filter(cohort=cohort).delete)
    page = client.get(url).content.decode()
    assert 'id="deadline-marks"' not in page
    assert "No deadlines set for this cohort." in page


def test_a_score_edited_outside_the_services_shows_on_the_dashboard(
    alice, teacher, make_cohort, committed
) -> None:
    # The admin edits progress rows: every dashboard showing the learner, not only their map.
    from rest_framework.test import APIClient

    from apps.progress.models import ExerciseProgress

    cohort = make_cohort(teacher, [alice])
    committed(a_failed_softmax_attempt, user=alice)
    api = APIClient()
    api.force_authenticate(teacher)
    url = f"/api/v1/cohorts/{cohort.pk}/progress/"
    before = api.get(url).json()
    column = [e["slug"] for e in before["exercises"]].index("softmax")
    assert before["scores"][0][column] == 0.5
    row = ExerciseProgress.objects.get(user=alice, exercise__slug="softmax")
    row.best_score = 0.75
    committed(row.save)
    assert api.get(url).json()["scores"][0][column] == 0.75


def test_a_lesson_read_mark_deleted_outside_the_services_shows_at_once(
    client, alice, committed
) -> None:
    # Every kind of a learner's progress row has the receiver the exercise rows have: the
    # admin deleting a "lesson read" (or a concept check's, a module's, a review card's row).
    import re

    from apps.curriculum.models import Lesson
    from apps.progress.models import LessonProgress
    from apps.progress.services import lesson_mark_read

    def page() -> str:  # without the per-request CSRF tokens
        html = client.get("/learn/linear-algebra/vectors-matrices-and-maps/").content.decode()
        return re.sub(r'(content|value)="[A-Za-z0-9]{64}"', "", html)

    lesson = Lesson.objects.get(slug="vectors-matrices-and-maps")
    client.force_login(alice)
    unread = page()
    committed(lesson_mark_read, user=alice, lesson=lesson)
    assert page() != unread
    committed(LessonProgress.objects.filter(user=alice, lesson=lesson).delete)
    assert page() == unread
