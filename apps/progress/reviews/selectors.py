"""Reads of the review schedule: the learner's queue, one card, each exercise's recall.

Fixed query counts: one query for a learner's cards, whatever their number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from apps.curriculum.models import Exercise
from apps.progress.models import ReviewCard, ReviewLog
from apps.progress.reviews import schedule
from apps.progress.reviews.schedule import MemoryState


@dataclass(frozen=True)
class Recall:
    """How well a passed exercise is remembered now."""

    retention: float  # FSRS retrievability, 0..1
    factor: float  # what its score still counts for in mastery, 0..1
    due: datetime

    def is_due(self, now: datetime) -> bool:
        return self.due <= now


@dataclass(frozen=True)
class ReviewItem:
    """A card as the queue shows it."""

    card: ReviewCard
    exercise: Exercise
    recall: Recall
    is_due: bool
    last_rating: int | None = None

    @property
    def in_progress(self) -> bool:
        return self.card.review_started_at is not None or self.card.review_failures > 0


@dataclass(frozen=True)
class ReviewQueue:
    due: list[ReviewItem]  # most overdue first
    upcoming: list[ReviewItem]  # soonest first


def _memory(card: ReviewCard) -> MemoryState:
    return MemoryState(
        state=card.state,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def recall_of(card: ReviewCard, now: datetime) -> Recall:
    retention = schedule.retrievability(_memory(card), now)
    return Recall(retention=retention, factor=schedule.recall_factor(retention), due=card.due)


def review_cards(user: User) -> list[ReviewCard]:
    """Every card of the learner, with the fields ``recall_of`` and ``ReviewItem`` read (one
    query)."""
    return list(
        ReviewCard.objects.filter(user=user).only(
            "exercise_id",
            "state",
            "step",
            "stability",
            "difficulty",
            "due",
            "last_review",
            "review_started_at",
            "review_failures",
        )
    )


def _cards(user: User) -> list[ReviewCard]:
    return list(
        ReviewCard.objects.filter(user=user, exercise__retired=False)
        .select_related("exercise__module")
        .order_by("due", "id")
    )


def _last_ratings(user: User, exercise_ids: list[int]) -> dict[int, int]:
    ratings: dict[int, int] = {}
    for exercise_id, rating in (
        ReviewLog.objects.filter(user=user, exercise_id__in=exercise_ids)
        .order_by("exercise_id", "-reviewed_at", "-id")
        .values_list("exercise_id", "rating")
    ):
        ratings.setdefault(exercise_id, rating)
    return ratings


def review_queue_for_user(*, user: User, now: datetime | None = None) -> ReviewQueue:
    """The learner's own cards: those due (most overdue first), then the coming ones."""
    now = now or timezone.now()
    cards = _cards(user)
    ratings = _last_ratings(user, [card.exercise_id for card in cards])
    items = [
        ReviewItem(
            card=card,
            exercise=card.exercise,
            recall=recall_of(card, now),
            is_due=card.due <= now,
            last_rating=ratings.get(card.exercise_id),
        )
        for card in cards
    ]
    return ReviewQueue(
        due=[item for item in items if item.is_due],
        upcoming=[item for item in items if not item.is_due],
    )


def review_item_for_user(
    *, user: User, exercise: Exercise, now: datetime | None = None
) -> ReviewItem | None:
    """The learner's own card for one exercise, or None if it is not on their schedule."""
    # At most one card (unique per learner and exercise): no ORDER BY, as first() would add.
    card = next(iter(ReviewCard.objects.filter(user=user, exercise=exercise)[:1]), None)
    if card is None:
        return None
    return review_item_of_card(user=user, exercise=exercise, card=card, now=now)


def review_item_of_card(
    *, user: User, exercise: Exercise, card: ReviewCard, now: datetime | None = None
) -> ReviewItem:
    """The queue's item for a card already read (its last rating: one query)."""
    now = now or timezone.now()
    ratings = _last_ratings(user, [exercise.pk])
    return ReviewItem(
        card=card,
        exercise=exercise,
        recall=recall_of(card, now),
        is_due=card.due <= now,
        last_rating=ratings.get(exercise.pk),
    )


def reviews_due_count(*, user: User | AnonymousUser, now: datetime | None = None) -> int:
    if not user.is_authenticated:
        return 0
    return ReviewCard.objects.filter(
        user=user, exercise__retired=False, due__lte=now or timezone.now()
    ).count()
