"""A spaced review's graded attempt: a submission with purpose ``review``.

Graded exactly like practice, through the same task and sandbox, with a seed of its own
(submission_create draws one per submission), so the hidden cases are new each time and
a remembered answer to old inputs is no help. Its verdict goes to the review schedule
(apps/progress/reviews), not to the exercise's progress: a review never erases a pass.
"""

from __future__ import annotations

from django.contrib.auth.models import User

from apps.curriculum.models import Exercise
from apps.progress.reviews.services import review_ensure_due
from apps.sandbox.models import Submission, SubmissionPurpose
from apps.sandbox.services import submission_create


def review_submission_create(*, user: User, exercise: Exercise, code: str | bytes) -> Submission:
    """Store and queue a review attempt; ReviewUnavailable if the exercise is not due.

    BrokerUnavailable as submission_create raises it.
    """
    review_ensure_due(user=user, exercise=exercise)
    return submission_create(
        user=user, exercise=exercise, code=code, purpose=SubmissionPurpose.REVIEW
    )
