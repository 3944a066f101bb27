"""A review attempt goes through the same sandbox as any submission, with new random cases,
and counts on the review schedule, not as practice."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from apps.progress.models import (
    ExerciseProgress,
    ReviewAttempt,
    ReviewCard,
    ReviewLog,
    ReviewRating,
)
from apps.sandbox.models import Submission, SubmissionPurpose

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = (ROOT / "apps/curriculum/content/probability/exercises/softmax/solution.py").read_text()
WRONG = "import numpy as np\ndef softmax(z):\n    return np.exp(z)\n"

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(api_client, django_capture_on_commit_callbacks):
    def send(user, url, body=None):
        api_client.force_authenticate(user)
        with django_capture_on_commit_callbacks(execute=True):
            return api_client.post(url, body or {}, format="json")

    return send


@pytest.fixture
def passed_softmax(post, alice):
    """Alice passed softmax (graded in the sandbox), and the review has come due."""
    response = post(alice, "/api/v1/exercises/softmax/submissions/", {"code": SOLUTION})
    assert response.status_code == 202
    card = ReviewCard.objects.get(user=alice)
    shift = card.due - timezone.now() + timedelta(minutes=1)
    ReviewCard.objects.filter(pk=card.pk).update(
        due=card.due - shift, last_review=card.last_review - shift
    )
    return Submission.objects.get(user=alice)


def test_a_review_is_graded_in_the_sandbox_with_new_cases(post, alice, passed_softmax) -> None:
    post(alice, "/api/v1/reviews/softmax/start/")
    response = post(alice, "/api/v1/reviews/softmax/submissions/", {"code": SOLUTION})
    assert response.status_code == 202
    review = Submission.objects.get(pk=response.json()["id"])
    assert review.purpose == SubmissionPurpose.REVIEW
    assert review.status == "passed"
    assert review.seed is not None
    assert review.seed != passed_softmax.seed
    assert ReviewAttempt.objects.filter(submission_id=review.pk, passed=True).exists()
    log = ReviewLog.objects.get(user=alice, first_pass=False)
    assert log.rating == ReviewRating.EASY
    assert ReviewCard.objects.get(user=alice).due > timezone.now()


def test_a_failed_review_counts_on_the_schedule_not_as_practice(
    post, alice, passed_softmax
) -> None:
    before = ExerciseProgress.objects.get(user=alice)
    response = post(alice, "/api/v1/reviews/softmax/submissions/", {"code": WRONG})
    assert Submission.objects.get(pk=response.json()["id"]).status == "failed"
    after = ExerciseProgress.objects.get(user=alice)
    assert (after.attempts, after.best_score, after.first_passed_at) == (
        before.attempts,
        before.best_score,
        before.first_passed_at,
    )
    assert ReviewCard.objects.get(user=alice).review_failures == 1


def test_a_review_that_is_not_due_is_refused_and_nothing_stored(post, alice, bob) -> None:
    response = post(bob, "/api/v1/reviews/softmax/submissions/", {"code": SOLUTION})
    assert response.status_code == 409
    assert not Submission.objects.filter(user=bob).exists()
    post(alice, "/api/v1/exercises/softmax/submissions/", {"code": SOLUTION})
    response = post(alice, "/api/v1/reviews/softmax/submissions/", {"code": SOLUTION})
    assert response.status_code == 409
    assert "due at" in response.json()["detail"]
