"""The regrade API: only a cohort's instructors see, start, accept or discard its regrades."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from apps.curriculum.models import Exercise
from apps.progress.models import ExerciseProgress
from apps.progress.services import exercise_progress_record_attempt
from apps.sandbox.models import Submission

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = (ROOT / "apps/curriculum/content/probability/exercises/softmax/solution.py").read_text()

pytestmark = pytest.mark.django_db


@pytest.fixture
def stale(alice, teacher, make_cohort):
    """Alice's correct softmax, failed by old checks; the checks have changed since."""
    cohort = make_cohort(teacher, [alice])
    exercise = Exercise.objects.get(slug="softmax")
    now = timezone.now()
    submission = Submission.objects.create(
        user=alice,
        exercise=exercise,
        code=SOLUTION,
        status="failed",
        score=0.25,
        seed=7,
        check_version=exercise.check_version,
        started_at=now,
        finished_at=now,
    )
    exercise_progress_record_attempt(
        user=alice,
        exercise=exercise,
        submission_id=submission.pk,
        score=0.25,
        passed=False,
        failed_checks=["old"],
        at=now,
    )
    Exercise.objects.filter(pk=exercise.pk).update(check_version=exercise.check_version + 1)
    return cohort


@pytest.fixture
def call(api_client, django_capture_on_commit_callbacks):
    def request(user, method, url, body=None):
        api_client.force_authenticate(user)
        with django_capture_on_commit_callbacks(execute=True):
            return getattr(api_client, method)(url, body or {}, format="json")

    return request


def test_the_instructor_counts_starts_reviews_and_accepts_a_regrade(
    call, teacher, alice, stale
) -> None:
    base = f"/api/v1/cohorts/{stale.pk}"
    counts = call(teacher, "get", f"{base}/stale-submissions/").json()
    assert [(c["exercise"], c["stale"]) for c in counts] == [("softmax", 1)]
    started = call(teacher, "post", f"{base}/regrades/", {"exercise": "softmax"})
    assert started.status_code == 202
    regrade_id = started.json()["id"]
    detail = call(teacher, "get", f"{base}/regrades/{regrade_id}/").json()
    assert detail["status"] == "ready"
    [row] = detail["rows"]
    assert (row["learner"], row["old_status"], row["new_status"]) == ("alice", "failed", "passed")
    assert detail["summary"]["newly_passed"] == 1
    assert call(teacher, "post", f"{base}/regrades/", {"exercise": "softmax"}).status_code == 409
    accepted = call(teacher, "post", f"{base}/regrades/{regrade_id}/accept/")
    assert accepted.json() == {"status": "accepted", "accepted": 1, "superseded": 0, "learners": 1}
    assert ExerciseProgress.objects.get(user=alice).passed
    assert call(teacher, "post", f"{base}/regrades/{regrade_id}/accept/").status_code == 409
    assert call(teacher, "get", f"{base}/stale-submissions/").json() == []


def test_only_the_cohorts_instructors_see_and_accept_its_regrade(
    call, teacher, alice, make_user, stale
) -> None:
    base = f"/api/v1/cohorts/{stale.pk}"
    regrade_id = call(teacher, "post", f"{base}/regrades/", {"exercise": "softmax"}).json()["id"]
    stranger = make_user("stranger", role="instructor")
    for who in (stranger, alice):
        assert call(who, "get", f"{base}/stale-submissions/").status_code == 404
        assert call(who, "get", f"{base}/regrades/").status_code == 404
        assert call(who, "get", f"{base}/regrades/{regrade_id}/").status_code == 404
        assert call(who, "post", f"{base}/regrades/{regrade_id}/accept/").status_code == 404
        assert call(who, "post", f"{base}/regrades/{regrade_id}/discard/").status_code == 404
        assert call(who, "post", f"{base}/regrades/", {"exercise": "softmax"}).status_code == 404
    assert not ExerciseProgress.objects.get(user=alice).passed


def test_a_discarded_regrade_changes_nothing(call, teacher, alice, stale) -> None:
    base = f"/api/v1/cohorts/{stale.pk}"
    regrade_id = call(teacher, "post", f"{base}/regrades/", {"exercise": "softmax"}).json()["id"]
    discarded = call(teacher, "post", f"{base}/regrades/{regrade_id}/discard/")
    assert discarded.json()["status"] == "discarded"
    assert Submission.objects.get(user=alice).status == "failed"
    assert call(teacher, "post", f"{base}/regrades/{regrade_id}/accept/").status_code == 409


def test_nothing_to_regrade_is_a_conflict_and_an_unknown_exercise_invalid(
    call, teacher, make_cohort
) -> None:
    cohort = make_cohort(teacher, [])
    url = f"/api/v1/cohorts/{cohort.pk}/regrades/"
    assert call(teacher, "post", url, {"exercise": "softmax"}).status_code == 409
    assert call(teacher, "post", url, {"exercise": "no-such-one"}).status_code == 400
