"""Progress after a regrade is accepted: recount one learner's exercise from its verdicts.

The sandbox hands over how to read the learner's graded practice attempts as they stand
(the regraded ones with their new verdicts); they are read once the learner's progress row
is locked, so a grading stored meanwhile is either among them or counted after. Attempts are
not counted again: the number of attempts stays; what follows from the verdicts is
recomputed: best score, first pass (when, after how many attempts, how long), the
failed-check counts and the module's points. A pass a regrade reveals puts the exercise on
the review schedule (and reports ``exercise_passed``); a pass it takes away takes the
exercise off the schedule. A best score that changed reports ``score_changed`` (the LMS
gradebook and the LRS hear of it at once).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from apps.curriculum.models import Exercise
from apps.progress.models import CheckFailureCount, ExerciseProgress, LearningEventKind
from apps.progress.outbox import learning_event_record
from apps.progress.reviews.services import review_card_schedule_first_pass, review_card_withdraw
from apps.progress.services import _module_points_refresh
from apps.progress.versions import progress_versions_bump


@dataclass(frozen=True)
class GradedAttempt:
    """One counted practice attempt with its verdict as it stands (oldest first)."""

    submission_id: int
    score: float
    passed: bool
    failed_checks: Sequence[str]
    at: datetime


@dataclass(frozen=True)
class ProgressChange:
    best_before: float
    best_after: float
    passed_before: bool
    passed_after: bool


def _first_pass(attempts: Sequence[GradedAttempt]) -> tuple[int, GradedAttempt] | None:
    return next(((i, a) for i, a in enumerate(attempts, start=1) if a.passed), None)


def _check_failures_recount(
    user: User, exercise: Exercise, attempts: Sequence[GradedAttempt]
) -> None:
    counts: Counter[str] = Counter()
    for attempt in attempts:
        counts.update({name[:200] for name in attempt.failed_checks})
    CheckFailureCount.objects.filter(user=user, exercise=exercise).delete()
    CheckFailureCount.objects.bulk_create(
        CheckFailureCount(user=user, exercise=exercise, check_name=name, failures=n)
        for name, n in sorted(counts.items())
    )


@transaction.atomic
def exercise_progress_regraded(
    *,
    user: User,
    exercise: Exercise,
    read_attempts: Callable[[], Sequence[GradedAttempt]],
    regrade_id: int | None = None,
) -> ProgressChange:
    """Recount a learner's standing on an exercise from ``read_attempts()`` (every counted one).

    Locks the progress row, as counting an attempt does, and only then reads the attempts:
    a submission graded meanwhile is counted before (and read here) or after (on top of
    this recount), never lost under it. Idempotent: the same attempts, the same row.
    """
    progress, _ = ExerciseProgress.objects.get_or_create(user=user, exercise=exercise)
    progress = ExerciseProgress.objects.select_for_update().get(pk=progress.pk)
    attempts = list(read_attempts())
    change = ProgressChange(
        best_before=progress.best_score,
        best_after=max((a.score for a in attempts), default=0.0),
        passed_before=progress.passed,
        passed_after=any(a.passed for a in attempts),
    )
    if attempts and progress.first_attempt_at is None:
        progress.first_attempt_at = attempts[0].at
    progress.best_score = change.best_after
    first = _first_pass(attempts)
    if first is None:
        progress.first_passed_at = progress.attempts_to_pass = progress.seconds_to_pass = None
    else:
        number, attempt = first
        progress.first_passed_at = attempt.at
        progress.attempts_to_pass = number
        start = progress.first_attempt_at or attempt.at
        progress.seconds_to_pass = max((attempt.at - start).total_seconds(), 0.0)
    progress.save()
    _check_failures_recount(user, exercise, attempts)
    _module_points_refresh(user=user, module_id=exercise.module_id)
    if first is not None and not change.passed_before:
        _newly_passed(user, exercise, first[1], progress)
    elif first is None and change.passed_before:
        review_card_withdraw(user=user, exercise=exercise)
    if change.best_after != change.best_before:
        learning_event_record(
            kind=LearningEventKind.SCORE_CHANGED,
            user=user,
            exercise=exercise,
            at=timezone.now(),
            data={
                "score": change.best_after,
                "score_before": change.best_before,
                "passed": change.passed_after,
                "passed_before": change.passed_before,
                "regrade": regrade_id,
            },
        )
    progress_versions_bump(user_id=user.pk)
    return change


def _newly_passed(
    user: User, exercise: Exercise, attempt: GradedAttempt, progress: ExerciseProgress
) -> None:
    learning_event_record(
        kind=LearningEventKind.EXERCISE_PASSED,
        user=user,
        exercise=exercise,
        submission_id=attempt.submission_id,
        at=attempt.at,
        data={"score": attempt.score, "attempts": progress.attempts_to_pass, "regraded": True},
    )
    # Scheduled from now: the pass is news to the learner's schedule today.
    review_card_schedule_first_pass(
        user=user, exercise=exercise, at=timezone.now(), attempts_to_pass=progress.attempts_to_pass
    )
