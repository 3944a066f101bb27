"""Writes to the review schedule: a card on the first pass, reviews started and concluded.

Called by progress (the first pass), by the sandbox when a review submission is graded,
and by the views. Each write locks the learner's card for the exercise. A review attempt is
counted once (its ``ReviewAttempt`` row): a redelivered grade changes nothing.

What a review counts in progress: the attempt is recorded (ReviewAttempt) and counts as
activity for the day (the streak); the concluded review updates the card (reps, lapses,
the next due date) and the recall that current mastery is weighed by. It never touches
the exercise's attempts, best score or first pass: a failed review can't erase a pass.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.curriculum.models import Exercise
from apps.progress.models import (
    ActivityDay,
    LearningEventKind,
    ReviewAttempt,
    ReviewCard,
    ReviewLog,
    ReviewRating,
)
from apps.progress.outbox import learning_event_record
from apps.progress.reviews import schedule
from apps.progress.reviews.schedule import MemoryState
from apps.progress.versions import progress_versions_bump


class ReviewUnavailable(Exception):
    """The exercise can't be reviewed now: not passed yet (no card), or not due until ``due``."""

    def __init__(self, message: str, due: datetime | None = None) -> None:
        super().__init__(message)
        self.due = due


def _memory(card: ReviewCard) -> MemoryState:
    return MemoryState(
        state=card.state,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def _apply(card: ReviewCard, memory: MemoryState) -> None:
    card.state = memory.state
    card.step = memory.step
    card.stability = memory.stability
    card.difficulty = memory.difficulty
    card.due = memory.due
    card.last_review = memory.last_review


def _log(
    card: ReviewCard,
    *,
    rating: int,
    at: datetime,
    first_pass: bool = False,
    due_was: datetime | None = None,
    retention_was: float | None = None,
    attempts: int = 0,
    submission_id: int | None = None,
) -> ReviewLog:
    return ReviewLog.objects.create(
        user_id=card.user_id,
        exercise_id=card.exercise_id,
        rating=rating,
        first_pass=first_pass,
        reviewed_at=at,
        due_was=due_was,
        retention_was=retention_was,
        attempts=attempts,
        submission_id=submission_id,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
    )


def review_card_schedule_first_pass(
    *, user: User, exercise: Exercise, at: datetime, attempts_to_pass: int | None
) -> ReviewCard | None:
    """Put a just-passed exercise on the schedule, rated by how the pass went.

    Call inside the transaction that records the first pass. A card that already exists
    (a pass restored by a regrade, say) is left as it is: returns None then.
    """
    if ReviewCard.objects.filter(user=user, exercise=exercise).exists():
        return None
    rating = schedule.first_pass_rating(attempts_to_pass=attempts_to_pass)
    card = ReviewCard(user=user, exercise=exercise)
    _apply(card, schedule.memory_rated(schedule.new_memory(at), rating, at))
    card.save()  # the first pass's recording moves the learner's version (one bump, not two)
    _log(card, rating=rating, at=at, first_pass=True)
    return card


def review_card_withdraw(*, user: User, exercise: Exercise) -> bool:
    """Take an exercise off the schedule (a regrade found it was never passed after all).

    Its review log stays. True if there was a card.
    """
    deleted, _ = ReviewCard.objects.filter(user=user, exercise=exercise).delete()
    if deleted:
        progress_versions_bump(user_id=user.pk)
    return bool(deleted)


def _locked_card(user: User, exercise: Exercise) -> ReviewCard | None:
    return ReviewCard.objects.select_for_update().filter(user=user, exercise=exercise).first()


def _due_card(user: User, exercise: Exercise, at: datetime) -> ReviewCard:
    card = _locked_card(user, exercise)
    if card is None:
        raise ReviewUnavailable(_("You review an exercise once you have passed it."))
    if card.due > at:
        raise ReviewUnavailable(_("This exercise is not due for review yet."), due=card.due)
    return card


@transaction.atomic
def review_start(*, user: User, exercise: Exercise, at: datetime | None = None) -> ReviewCard:
    """Start reviewing a due exercise (the clock for an Easy rating starts now).

    Starting again while a review is under way keeps its start. Raises ReviewUnavailable.
    """
    at = at or timezone.now()
    card = _due_card(user, exercise, at)
    if card.review_started_at is None:
        card.review_started_at = at
        card.save(update_fields=["review_started_at"])
        progress_versions_bump(user_id=user.pk)
    return card


def review_ensure_due(*, user: User, exercise: Exercise) -> ReviewCard:
    """The learner's due card, or ReviewUnavailable (before a review submission is stored).

    A review submitted without a recorded start is rated as one: it can't be Easy.
    """
    with transaction.atomic():
        return _due_card(user, exercise, timezone.now())


def _conclude(
    card: ReviewCard, *, rating: int, at: datetime, submission_id: int | None = None
) -> ReviewCard:
    """Rate the review under way and schedule the next one (the caller holds the lock)."""
    memory = _memory(card)
    retention = schedule.retrievability(memory, at)
    due_was = card.due
    attempts = card.review_failures + (1 if submission_id is not None else 0)
    _apply(card, schedule.memory_rated(memory, rating, at))
    card.reps += 1
    if rating == ReviewRating.AGAIN:
        card.lapses += 1
    card.review_started_at = None
    card.review_failures = 0
    card.save()
    progress_versions_bump(user_id=card.user_id)
    _log(
        card,
        rating=rating,
        at=at,
        due_was=due_was,
        retention_was=retention,
        attempts=attempts,
        submission_id=submission_id,
    )
    return card


@transaction.atomic
def review_record_attempt(
    *,
    user: User,
    exercise: Exercise,
    submission_id: int,
    score: float,
    passed: bool,
    at: datetime,
    event_data: dict[str, Any] | None = None,
) -> ReviewCard | None:
    """Count one graded review submission and, if it ends the review, rate it.

    Once per submission. An attempt graded when its card is no longer due (the review
    ended meanwhile, or the card was withdrawn) is recorded and changes no schedule.
    Reports ``review_graded`` (``event_data``: the verdict's status, checks, duration, as
    for ``attempt_graded``; the rating is added when the attempt concludes the review),
    never ``attempt_graded``: a review is not an attempt at the exercise.
    """
    if ReviewAttempt.objects.filter(submission_id=submission_id).exists():
        return None
    ReviewAttempt.objects.create(
        submission_id=submission_id,
        user=user,
        exercise=exercise,
        score=score,
        passed=passed,
        at=at,
    )
    day, _ = ActivityDay.objects.get_or_create(user=user, day=at.date())
    ActivityDay.objects.filter(pk=day.pk).update(submissions=F("submissions") + 1)
    data = {**(event_data or {}), "score": score, "passed": passed, "rating": None}
    card = _locked_card(user, exercise)
    rating = None
    if card is not None and card.due <= at:
        rating = schedule.review_rating(
            passed=passed, failures=card.review_failures, started_at=card.review_started_at, at=at
        )
        if rating is None:
            card.review_failures += 1
            card.save(update_fields=["review_failures"])
            progress_versions_bump(user_id=user.pk)
        else:
            card = _conclude(card, rating=rating, at=at, submission_id=submission_id)
            data["rating"] = ReviewRating(rating).name.lower()
    learning_event_record(
        kind=LearningEventKind.REVIEW_GRADED,
        user=user,
        exercise=exercise,
        submission_id=submission_id,
        at=at,
        data=data,
    )
    return card


@transaction.atomic
def review_forgot(*, user: User, exercise: Exercise, at: datetime | None = None) -> ReviewCard:
    """The learner ends a due review: they no longer know how (rated Again)."""
    at = at or timezone.now()
    card = _due_card(user, exercise, at)
    return _conclude(card, rating=int(ReviewRating.AGAIN), at=at)
