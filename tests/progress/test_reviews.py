"""Spaced review as a learner would notice it: passed exercises come back, reviews are rated
by how they went, a review never erases a pass, and mastery fades while one is overdue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.curriculum.models import Exercise, Module
from apps.progress import selectors, services
from apps.progress.models import ExerciseProgress, ReviewCard, ReviewLog, ReviewRating
from apps.progress.reviews import schedule
from apps.progress.reviews import selectors as review_selectors
from apps.progress.reviews import services as reviews

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _exact_dates(settings) -> None:
    settings.REVIEW_FUZZING = False


def attempt(user, exercise, score, *, submission_id, at=None):
    return services.exercise_progress_record_attempt(
        user=user,
        exercise=exercise,
        submission_id=submission_id,
        score=score,
        passed=score == 1.0,
        failed_checks=[] if score == 1.0 else ["stable"],
        at=at or timezone.now(),
    )


def make_due(user, exercise, *, days_overdue: float = 0.0) -> ReviewCard:
    """Move a card's clock back so it falls due ``days_overdue`` days ago."""
    card = ReviewCard.objects.get(user=user, exercise=exercise)
    shift = (card.due - timezone.now()) + timedelta(days=days_overdue, minutes=1)
    card.due -= shift
    card.last_review -= shift
    card.save()
    return card


def review(user, exercise, *, passed, submission_id, at=None):
    return reviews.review_record_attempt(
        user=user,
        exercise=exercise,
        submission_id=submission_id,
        score=1.0 if passed else 0.5,
        passed=passed,
        at=at or timezone.now(),
    )


@pytest.fixture
def softmax():
    return Exercise.objects.get(slug="softmax")


def test_passing_an_exercise_puts_it_on_the_review_schedule(alice, softmax) -> None:
    attempt(alice, softmax, 0.5, submission_id=1)
    assert not ReviewCard.objects.filter(user=alice).exists()
    attempt(alice, softmax, 1.0, submission_id=2)
    card = ReviewCard.objects.get(user=alice, exercise=softmax)
    assert card.due > timezone.now() + timedelta(hours=12)
    log = ReviewLog.objects.get(user=alice)
    assert log.first_pass
    assert log.rating == ReviewRating.HARD  # passed after a failed attempt


def test_a_first_try_pass_is_good_and_comes_back_later_than_a_hard_one(alice, bob, softmax) -> None:
    attempt(alice, softmax, 1.0, submission_id=1)
    attempt(bob, softmax, 0.2, submission_id=2)
    attempt(bob, softmax, 1.0, submission_id=3)
    good = ReviewCard.objects.get(user=alice)
    hard = ReviewCard.objects.get(user=bob)
    assert ReviewLog.objects.get(user=alice).rating == ReviewRating.GOOD
    assert good.due > hard.due


def test_a_card_is_created_once_however_often_the_exercise_is_passed(alice, softmax) -> None:
    attempt(alice, softmax, 1.0, submission_id=1)
    attempt(alice, softmax, 1.0, submission_id=2)
    assert ReviewCard.objects.filter(user=alice).count() == 1


def test_an_exercise_not_due_cannot_be_reviewed(alice, softmax) -> None:
    with pytest.raises(reviews.ReviewUnavailable):
        reviews.review_start(user=alice, exercise=softmax)
    attempt(alice, softmax, 1.0, submission_id=1)
    with pytest.raises(reviews.ReviewUnavailable) as caught:
        reviews.review_start(user=alice, exercise=softmax)
    assert caught.value.due is not None


def test_a_quick_first_try_review_is_easy_and_pushes_the_next_one_further(alice, softmax) -> None:
    attempt(alice, softmax, 1.0, submission_id=1)
    first_stability = make_due(alice, softmax).stability
    reviews.review_start(user=alice, exercise=softmax)
    card = review(alice, softmax, passed=True, submission_id=2)
    assert card.reps == 1
    assert card.stability > first_stability
    assert card.due > timezone.now() + timedelta(days=3)
    assert ReviewLog.objects.filter(user=alice, first_pass=False).get().rating == ReviewRating.EASY


def test_a_review_without_a_recorded_start_is_good_at_best(alice, softmax) -> None:
    attempt(alice, softmax, 1.0, submission_id=1)
    make_due(alice, softmax)
    review(alice, softmax, passed=True, submission_id=2)
    assert ReviewLog.objects.filter(first_pass=False).get().rating == ReviewRating.GOOD


def test_a_review_passed_after_a_failure_is_hard(alice, softmax) -> None:
    attempt(alice, softmax, 1.0, submission_id=1)
    make_due(alice, softmax)
    card = review(alice, softmax, passed=False, submission_id=2)
    assert card.review_failures == 1
    assert card.due <= timezone.now()  # still due: the review goes on
    review(alice, softmax, passed=True, submission_id=3)
    log = ReviewLog.objects.filter(first_pass=False).get()
    assert log.rating == ReviewRating.HARD
    assert log.attempts == 2


def test_too_many_failures_end_the_review_as_again(alice, softmax) -> None:
    attempt(alice, softmax, 1.0, submission_id=1)
    make_due(alice, softmax)
    for number in range(schedule.MAX_REVIEW_FAILURES):
        card = review(alice, softmax, passed=False, submission_id=10 + number)
    assert card.lapses == 1
    assert card.due > timezone.now()
    assert card.due < timezone.now() + timedelta(days=3)
    assert ReviewLog.objects.filter(first_pass=False).get().rating == ReviewRating.AGAIN


def test_saying_i_forgot_is_again(alice, softmax) -> None:
    attempt(alice, softmax, 1.0, submission_id=1)
    make_due(alice, softmax)
    card = reviews.review_forgot(user=alice, exercise=softmax)
    assert card.lapses == 1
    assert ReviewLog.objects.filter(first_pass=False).get().rating == ReviewRating.AGAIN


def test_a_failed_review_never_erases_the_pass(alice, softmax) -> None:
    attempt(alice, softmax, 1.0, submission_id=1)
    before = ExerciseProgress.objects.get(user=alice, exercise=softmax)
    make_due(alice, softmax)
    for number in range(schedule.MAX_REVIEW_FAILURES):
        review(alice, softmax, passed=False, submission_id=10 + number)
    after = ExerciseProgress.objects.get(user=alice, exercise=softmax)
    assert (after.attempts, after.best_score, after.first_passed_at) == (
        before.attempts,
        before.best_score,
        before.first_passed_at,
    )


def test_a_review_attempt_is_counted_once(alice, softmax) -> None:
    attempt(alice, softmax, 1.0, submission_id=1)
    make_due(alice, softmax)
    review(alice, softmax, passed=False, submission_id=2)
    review(alice, softmax, passed=False, submission_id=2)
    assert ReviewCard.objects.get(user=alice).review_failures == 1


def test_the_queue_lists_the_learners_own_due_cards_first(alice, bob, softmax) -> None:
    entropy = Exercise.objects.get(slug="entropy")
    attempt(alice, softmax, 1.0, submission_id=1)
    attempt(alice, entropy, 1.0, submission_id=2)
    attempt(bob, softmax, 1.0, submission_id=3)
    make_due(alice, softmax)
    queue = review_selectors.review_queue_for_user(user=alice)
    assert [item.exercise.slug for item in queue.due] == ["softmax"]
    assert [item.exercise.slug for item in queue.upcoming] == ["entropy"]
    assert review_selectors.reviews_due_count(user=alice) == 1
    assert review_selectors.reviews_due_count(user=bob) == 0


def pass_module(user, slug: str) -> list[Exercise]:
    exercises = list(Exercise.objects.filter(module__slug=slug, retired=False))
    for number, exercise in enumerate(exercises, start=1):
        attempt(user, exercise, 1.0, submission_id=number)
    return exercises


def standing(user, slug: str) -> selectors.ModuleStanding:
    return next(s for s in selectors.course_map_for_user(user=user) if s.module.slug == slug)


def exercise_share(slug: str) -> float:
    """The share of a module's points its exercises carry (its concept checks carry the rest)."""
    module = Module.objects.get(slug=slug)
    exercises = Exercise.objects.filter(module=module, retired=False)
    return sum(e.points for e in exercises) / module.total_points


def test_mastery_holds_while_reviews_are_kept_up_and_fades_when_overdue(alice) -> None:
    exercises = pass_module(alice, "probability")
    fresh = standing(alice, "probability")
    assert fresh.mastery == pytest.approx(exercise_share("probability"), abs=1e-4)
    assert fresh.mastered
    for exercise in exercises:
        make_due(alice, exercise, days_overdue=60)
    faded = standing(alice, "probability")
    assert faded.earned == pytest.approx(exercise_share("probability"), abs=1e-4)
    assert faded.mastery < 0.7
    assert not faded.mastered
    assert faded.needs_review
    assert faded.reviews_due == len(exercises)
    retention = faded.exercises[0].retention
    assert retention is not None
    assert retention < schedule.DESIRED_RETENTION


def test_a_faded_prerequisite_does_not_lock_the_modules_it_opened(alice) -> None:
    for exercise in pass_module(alice, "probability"):
        make_due(alice, exercise, days_overdue=60)
    opened = [s for s in selectors.course_map_for_user(user=alice) if s.prerequisites]
    needs_probability = [s for s in opened if [p.slug for p in s.prerequisites] == ["probability"]]
    assert all(s.unlocked for s in needs_probability)


def test_a_review_restores_the_mastery_it_faded(alice) -> None:
    exercises = pass_module(alice, "probability")
    for exercise in exercises:
        make_due(alice, exercise, days_overdue=60)
    for number, exercise in enumerate(exercises, start=100):
        review(alice, exercise, passed=True, submission_id=number)
    restored = standing(alice, "probability").mastery
    assert restored == pytest.approx(exercise_share("probability"), abs=1e-4)
