"""A learner's course map reads their rows from the cache: never stale after a write."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.curriculum.models import Exercise, Lesson, Module, Question
from apps.curriculum.selectors import lesson_questions_for_page, question_variant
from apps.progress.models import ReviewCard
from apps.progress.questions import question_answer
from apps.progress.regrading import GradedAttempt, exercise_progress_regraded
from apps.progress.reviews import services as reviews
from apps.progress.selectors import (
    course_map_for_user,
    exercise_progress_for_user,
    lesson_read_by_user,
    module_unlocked_for_user,
    review_item_for_page,
)
from apps.progress.services import (
    exercise_progress_record_attempt,
    hint_reveal,
    lesson_mark_read,
    module_unlock,
)
from apps.sandbox.grading.questions import format_answer

pytestmark = pytest.mark.django_db

PROGRESS_TABLES = (
    '"progress_moduleprogress"',
    '"progress_exerciseprogress"',
    '"progress_lessonprogress"',
    '"progress_reviewcard"',
)


@pytest.fixture(autouse=True)
def _shared_cache(settings) -> None:
    # One test process: its local-memory cache is as shared as Redis would be.
    settings.SHARED_CACHE = True
    settings.REVIEW_FUZZING = False


def standing(user, module_slug: str):
    return next(s for s in course_map_for_user(user=user) if s.module.slug == module_slug)


def exercise_standing(user, slug: str):
    exercise = Exercise.objects.get(slug=slug)
    module = standing(user, exercise.module.slug)
    return next(s for s in module.exercises if s.exercise.slug == slug)


def attempt(committed, user, slug: str, score: float, submission_id: int, at=None) -> None:
    committed(
        exercise_progress_record_attempt,
        user=user,
        exercise=Exercise.objects.get(slug=slug),
        submission_id=submission_id,
        score=score,
        passed=score == 1.0,
        failed_checks=[] if score == 1.0 else ["stable"],
        at=at or timezone.now(),
    )


def test_a_second_view_reads_no_progress_table(alice) -> None:
    course_map_for_user(user=alice)
    with CaptureQueriesContext(connection) as queries:
        course_map_for_user(user=alice)
    read = [q["sql"] for q in queries if any(t in q["sql"] for t in PROGRESS_TABLES)]
    assert read == []


def test_each_learner_sees_their_own_rows(alice, bob, committed) -> None:
    course_map_for_user(user=alice)
    course_map_for_user(user=bob)
    attempt(committed, alice, "softmax", 1.0, 1)
    assert exercise_standing(alice, "softmax").passed
    assert not exercise_standing(bob, "softmax").passed
    assert exercise_standing(bob, "softmax").attempts == 0


def test_a_graded_attempt_shows_on_the_next_view(alice, committed) -> None:
    assert exercise_standing(alice, "softmax").attempts == 0
    attempt(committed, alice, "softmax", 0.5, 1)
    after = exercise_standing(alice, "softmax")
    assert (after.attempts, after.best_score, after.passed) == (1, 0.5, False)
    attempt(committed, alice, "softmax", 1.0, 2)
    assert exercise_standing(alice, "softmax").passed
    assert standing(alice, "probability").earned > 0


def test_a_lesson_read_shows_on_the_next_view(alice, committed) -> None:
    lesson = Lesson.objects.filter(retired=False, module__slug="probability").first()
    assert not any(s.read for s in standing(alice, "probability").lessons)
    committed(lesson_mark_read, user=alice, lesson=lesson)
    read = [s.lesson.pk for s in standing(alice, "probability").lessons if s.read]
    assert read == [lesson.pk]


def test_an_unlock_by_an_instructor_shows_on_the_next_view(
    alice, teacher, make_cohort, committed
) -> None:
    make_cohort(teacher, [alice])
    assert not standing(alice, "rnn").unlocked
    committed(
        module_unlock, instructor=teacher, learner=alice, module=Module.objects.get(slug="rnn")
    )
    assert standing(alice, "rnn").unlocked


def test_a_concept_check_answered_shows_in_mastery_on_the_next_view(alice, committed) -> None:
    question = Question.objects.select_related("lesson__module").get(
        name="eigenvalues-of-w", retired=False
    )
    assert standing(alice, "rnn").earned == 0
    variant = question_variant(question=question, user_id=alice.pk, variant=0)
    committed(question_answer, user=alice, question=question, answer=format_answer(variant.built))
    assert standing(alice, "rnn").earned > 0


def test_a_review_concluded_shows_on_the_next_view(alice, committed) -> None:
    softmax = Exercise.objects.get(slug="softmax")
    attempt(committed, alice, "softmax", 1.0, 1, at=timezone.now() - timedelta(days=400))
    card = ReviewCard.objects.get(user=alice, exercise=softmax)
    assert exercise_standing(alice, "softmax").review_due
    committed(reviews.review_forgot, user=alice, exercise=softmax)
    card.refresh_from_db()
    after = exercise_standing(alice, "softmax")
    assert not after.review_due
    assert after.next_review == card.due


def test_a_regrade_that_takes_a_pass_away_shows_on_the_next_view(alice, committed) -> None:
    softmax = Exercise.objects.get(slug="softmax")
    at = timezone.now()
    attempt(committed, alice, "softmax", 1.0, 1, at=at)
    assert exercise_standing(alice, "softmax").passed
    committed(
        exercise_progress_regraded,
        user=alice,
        exercise=softmax,
        read_attempts=lambda: [
            GradedAttempt(submission_id=1, score=0.5, passed=False, failed_checks=["x"], at=at)
        ],
    )
    after = exercise_standing(alice, "softmax")
    assert not after.passed
    assert after.next_review is None  # its card withdrawn


def test_a_bump_rolled_back_with_its_write_changes_nothing(alice) -> None:
    # Without the commit (no on_commit callbacks run) the cached rows stay: the write is
    # not there to be shown either.
    before = exercise_standing(alice, "softmax")
    with CaptureQueriesContext(connection) as queries:
        assert exercise_standing(alice, "softmax") == before
    assert not any(t in q["sql"] for q in queries for t in PROGRESS_TABLES)


def test_the_lesson_page_reads_its_read_mark_from_the_cached_rows(alice, client, committed) -> None:
    lesson = Lesson.objects.select_related("module").filter(retired=False).first()
    assert not lesson_read_by_user(user=alice, lesson_id=lesson.pk)
    with CaptureQueriesContext(connection) as queries:
        assert not lesson_read_by_user(user=alice, lesson_id=lesson.pk)
    assert not any('"progress_lessonprogress"' in q["sql"] for q in queries)
    committed(lesson_mark_read, user=alice, lesson=lesson)
    assert lesson_read_by_user(user=alice, lesson_id=lesson.pk)
    assert not lesson_read_by_user(user=alice, lesson_id=lesson.pk + 10_000)


def test_an_unlock_opens_the_exercise_page_at_once(alice, teacher, make_cohort, committed) -> None:
    make_cohort(teacher, [alice])
    rnn = Module.objects.get(slug="rnn")
    assert module_unlocked_for_user(user=alice, module_id=rnn.pk) is False
    committed(module_unlock, instructor=teacher, learner=alice, module=rnn)
    assert module_unlocked_for_user(user=alice, module_id=rnn.pk) is True


def test_a_hint_revealed_shows_on_the_exercise_page_at_once(alice, committed) -> None:
    softmax = Exercise.objects.get(slug="softmax")
    assert exercise_progress_for_user(user=alice, exercise=softmax) is None
    committed(hint_reveal, user=alice, exercise=softmax)
    assert exercise_progress_for_user(user=alice, exercise=softmax).hints_revealed == 1
    committed(hint_reveal, user=alice, exercise=softmax)
    assert exercise_progress_for_user(user=alice, exercise=softmax).hints_revealed == 2


def test_a_review_started_or_failed_shows_on_the_exercise_page_at_once(alice, committed) -> None:
    softmax = Exercise.objects.get(slug="softmax")
    attempt(committed, alice, "softmax", 1.0, 1, at=timezone.now() - timedelta(days=400))
    item = review_item_for_page(user=alice, exercise=softmax)
    assert item.is_due
    assert not item.in_progress
    committed(reviews.review_start, user=alice, exercise=softmax)
    assert review_item_for_page(user=alice, exercise=softmax).in_progress
    committed(
        reviews.review_record_attempt,
        user=alice,
        exercise=softmax,
        submission_id=2,
        score=0.5,
        passed=False,
        at=timezone.now(),
    )
    assert review_item_for_page(user=alice, exercise=softmax).card.review_failures == 1


def test_the_exercise_page_reads_no_progress_table_when_warm(alice, client) -> None:
    client.force_login(alice)
    client.get("/exercises/softmax/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/exercises/softmax/").status_code == 200
    read = [q["sql"] for q in queries if any(t in q["sql"] for t in PROGRESS_TABLES)]
    assert read == []


def test_the_exercise_page_reads_the_learners_version_once_with_the_user(
    alice, client, monkeypatch
) -> None:
    from django.core.cache import caches

    client.force_login(alice)
    client.get("/exercises/softmax/")
    store = caches["default"]
    reads: list[list[str]] = []  # one list per round trip Redis would make
    real_get, real_get_many = store.get, store.get_many
    inside_get_many = []

    def get(key, *args, **kwargs):
        if not inside_get_many:  # the local cache's get_many calls get for each key
            reads.append([key])
        return real_get(key, *args, **kwargs)

    def get_many(keys, *args, **kwargs):
        reads.append(list(keys))
        inside_get_many.append(True)
        try:
            return real_get_many(keys, *args, **kwargs)
        finally:
            inside_get_many.pop()

    monkeypatch.setattr(store, "get", get)
    monkeypatch.setattr(store, "get_many", get_many)
    assert client.get("/exercises/softmax/").status_code == 200
    learner_reads = [keys for keys in reads if f"learner-version:{alice.pk}" in keys]
    assert len(learner_reads) == 1, reads
    assert f"signed-in-user:{alice.pk}" in learner_reads[0], "in the user's round trip"
    assert [keys for keys in reads if "curriculum-revision" in keys] == [learner_reads[0]]
    assert [keys for keys in reads if "deadlines-epoch" in keys] == [learner_reads[0]]


def test_a_write_inside_a_request_shows_to_the_rest_of_that_request(alice, committed) -> None:
    from apps.progress.versioned import versions_read_once

    softmax = Exercise.objects.get(slug="softmax")
    with versions_read_once():  # as the middleware does around a request
        assert exercise_progress_for_user(user=alice, exercise=softmax) is None
        committed(hint_reveal, user=alice, exercise=softmax)
        assert exercise_progress_for_user(user=alice, exercise=softmax).hints_revealed == 1


def test_a_concept_check_answered_shows_on_its_lesson_at_once(alice, committed) -> None:
    from apps.progress.questions import questions_for_learner

    question = Question.objects.select_related("lesson").get(name="eigenvalues-of-w", retired=False)
    lesson = question.lesson

    def state():
        return next(
            s
            for s, q in zip(
                questions_for_learner(lesson=lesson, user=alice),
                lesson_questions_for_page(lesson=lesson),
                strict=True,
            )
            if q.pk == question.pk
        )

    before = state()
    assert (before.attempts, before.solved) == (0, False)
    with CaptureQueriesContext(connection) as queries:
        state()
    assert not any('"progress_questionprogress"' in q["sql"] for q in queries), "cached"
    committed(question_answer, user=alice, question=question, answer="not a number")
    assert state().attempts == 0, "an unreadable answer changes nothing"
    outcome = committed(
        question_answer, user=alice, question=question, answer="-12345.678, 98765.4"
    )
    assert outcome.feedback.valid, outcome.feedback
    assert not outcome.feedback.correct
    wrong = state()
    assert (wrong.attempts, wrong.tries_left) == (1, before.tries_left - 1)
    variant = question_variant(question=question, user_id=alice.pk, variant=0)  # tries left
    committed(question_answer, user=alice, question=question, answer=format_answer(variant.built))
    right = state()
    assert (right.attempts, right.solved) == (2, True)
