"""FSRS for exercises: the scheduler, the rating a review earns, and recall for mastery.

A card is an exercise a learner has passed. FSRS (the ``fsrs`` package) keeps its memory
state, stability S in days and difficulty D, and says when recall has fallen to the desired
retention (90 %): that is when the exercise is due again.

How an outcome becomes a rating (documented in README "Spaced review"):

- first pass (creates the card): passed on the first attempt ........ Good
                                 passed after failed attempts ........ Hard
- a review (fresh random cases):  passed on its first attempt within
                                  EASY_WITHIN of starting the review .. Easy
                                  passed on its first attempt ......... Good
                                  passed after failed attempts ........ Hard
                                  MAX_REVIEW_FAILURES failed attempts,
                                  or the learner says "I forgot" ...... Again

No minute-long learning steps: an exercise is not a flash card one retries ten minutes
later, so every rating schedules whole days (Again brings it back the next day or so).

Recall and mastery: FSRS's retrievability R(t) = (1 + F·t/S)^(-decay) is the chance the
learner still solves the exercise t days after the last review; it is >= 90 % until the
card is due. An exercise's *recall factor* is min(1, R / 0.9): 1 while reviews are kept
up, sliding below 1 once one is overdue. Current mastery weighs each exercise's best score
by it, so it decays visibly only while a review is overdue, and a review restores it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from django.conf import settings
from fsrs import Card, Rating, Scheduler, State

DESIRED_RETENTION = 0.9
# A review passed on its first attempt this soon after it started is rated Easy.
EASY_WITHIN = timedelta(minutes=5)
# A review ends as Again after this many failed attempts.
MAX_REVIEW_FAILURES = 3


@cache
def _scheduler(fuzzing: bool) -> Scheduler:
    return Scheduler(
        desired_retention=DESIRED_RETENTION,
        learning_steps=(),
        relearning_steps=(),
        # Fuzz spreads reviews that would fall on one day (many exercises passed together).
        enable_fuzzing=fuzzing,
    )


def scheduler() -> Scheduler:
    """The FSRS scheduler; ``REVIEW_FUZZING`` (default on) spreads due dates a little."""
    return _scheduler(bool(getattr(settings, "REVIEW_FUZZING", True)))


@dataclass(frozen=True)
class MemoryState:
    """What a card stores of FSRS: state, step, stability (days), difficulty, due, last."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _card(memory: MemoryState) -> Card:
    return Card(
        card_id=1,  # FSRS only echoes it into its log; given so Card() need not draw one
        state=State(memory.state),
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=_utc(memory.due),
        last_review=_utc(memory.last_review) if memory.last_review else None,
    )


def _memory(card: Card) -> MemoryState:
    return MemoryState(
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def new_memory(at: datetime) -> MemoryState:
    """A card never rated (its first rating, the first pass, follows at once)."""
    return MemoryState(
        state=int(State.Learning),
        step=0,
        stability=None,
        difficulty=None,
        due=_utc(at),
        last_review=None,
    )


def memory_rated(memory: MemoryState, rating: int, at: datetime) -> MemoryState:
    """The memory state after a rating at ``at`` (FSRS's review of the card)."""
    card, _ = scheduler().review_card(_card(memory), Rating(rating), review_datetime=_utc(at))
    return _memory(card)


def retrievability(memory: MemoryState, at: datetime) -> float:
    """FSRS's probability of recall at ``at``: 1 right after a review, 0.9 when due."""
    if memory.last_review is None or memory.stability is None:
        return 0.0
    return float(scheduler().get_card_retrievability(_card(memory), current_datetime=_utc(at)))


def recall_factor(retention: float) -> float:
    """How much of a passed exercise's score still counts towards mastery (0..1)."""
    return min(1.0, retention / DESIRED_RETENTION)


def first_pass_rating(*, attempts_to_pass: int | None) -> int:
    return int(Rating.Good if (attempts_to_pass or 1) <= 1 else Rating.Hard)


def review_rating(
    *, passed: bool, failures: int, started_at: datetime | None, at: datetime
) -> int | None:
    """The rating a review attempt concludes with, or None if the review goes on.

    ``failures``: failed attempts in this review before this one.
    """
    if passed:
        if failures:
            return int(Rating.Hard)
        quick = started_at is not None and at - started_at <= EASY_WITHIN
        return int(Rating.Easy if quick else Rating.Good)
    if failures + 1 >= MAX_REVIEW_FAILURES:
        return int(Rating.Again)
    return None
