"""What grading one submission costs the worker in queries, pinned so it cannot creep back.

Counted from the claim to the commit hooks (the cohort-version bump), with the learning-event
consumers left out (their tasks run elsewhere). Under pytest-django each transaction is a
savepoint, so BEGIN/COMMIT show up here as SAVEPOINT/RELEASE pairs.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection

from apps.curriculum.models import Exercise
from apps.curriculum.selectors import exercise_spec
from apps.progress.models import ExerciseProgress
from apps.sandbox.models import Submission, SubmissionStatus
from apps.sandbox.services import submission_run

pytestmark = pytest.mark.django_db

SOLUTION = """\
import numpy as np

def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
"""
NO_MAX_SHIFT = """\
import numpy as np

def softmax(z):
    return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)
"""
# The claim (a transaction: lock and mark running) and the stored result (a transaction: the
# conditional write, the progress row locked, the counted marker, the attempt's event, the
# progress row, the activity day; no savepoint inside it), then the cohort-version lookup.
# On PostgreSQL the claim's commit is also told not to wait for the disk (one SET LOCAL).
CLAIM_SETTINGS = 1 if connection.vendor == "postgresql" else 0
LATER_ATTEMPT_QUERIES = 13 + CLAIM_SETTINGS
# The first pass also writes its event and the review card (a check, the card, its log) and
# refreshes the module's points (two sums and the row).
FIRST_PASS_QUERIES = 20 + CLAIM_SETTINGS


@pytest.fixture
def grade(
    alice: User,
    settings: Any,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> Callable[..., Submission]:
    settings.LEARNING_EVENT_TASKS = ()
    exercise = Exercise.objects.get(slug="softmax")
    exercise_spec(exercise=exercise)  # a worker's spec cache is warm

    def grade(code: str, *, queries: int | None = None) -> Submission:
        submission = Submission.objects.create(
            user=alice,
            exercise=exercise,
            code=code,
            status=SubmissionStatus.QUEUED,
            content_version=exercise.content_version,
            check_version=exercise.check_version,
            seed=7,
        )
        counted = django_assert_num_queries(queries) if queries is not None else nullcontext()
        with counted, django_capture_on_commit_callbacks(execute=True):
            submission_run(submission_id=submission.pk)
        submission.refresh_from_db()
        return submission

    return grade


def test_a_later_attempt_is_graded_and_counted_in_a_fixed_number_of_queries(
    grade: Callable[..., Submission], alice: User
) -> None:
    assert grade(NO_MAX_SHIFT).status == "failed"
    assert grade(SOLUTION).status == "passed"
    later = grade(SOLUTION, queries=LATER_ATTEMPT_QUERIES)
    assert later.status == "passed"
    progress = ExerciseProgress.objects.get(user=alice, exercise=later.exercise)
    assert (progress.attempts, progress.last_submission_id) == (3, later.pk)


def test_a_first_pass_is_graded_and_counted_in_a_fixed_number_of_queries(
    grade: Callable[..., Submission], alice: User
) -> None:
    assert grade(NO_MAX_SHIFT).status == "failed"
    passed = grade(SOLUTION, queries=FIRST_PASS_QUERIES)
    progress = ExerciseProgress.objects.get(user=alice, exercise=passed.exercise)
    assert progress.first_passed_at == passed.finished_at
    assert progress.attempts_to_pass == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_only_the_claim_commits_without_waiting_for_the_disk(alice: User) -> None:
    from django.test.utils import CaptureQueriesContext

    exercise = Exercise.objects.get(slug="softmax")
    submission = Submission.objects.create(
        user=alice, exercise=exercise, code=SOLUTION, status=SubmissionStatus.QUEUED, seed=7
    )
    with CaptureQueriesContext(connection) as captured:
        submission_run(submission_id=submission.pk)
    sql = [query["sql"] for query in captured.captured_queries]
    relaxed = [i for i, text in enumerate(sql) if "synchronous_commit" in text]
    claim = next(i for i, text in enumerate(sql) if text.startswith("UPDATE") and "runs" in text)
    stored = next(i for i, text in enumerate(sql) if text.startswith("UPDATE") and "score" in text)
    # Once, in the claim's transaction (before its write), and nowhere near the verdict.
    assert len(relaxed) == 1
    assert relaxed[0] < claim < stored
    between = sql[relaxed[0] : stored]
    assert any(text.startswith("RELEASE SAVEPOINT") or text == "COMMIT" for text in between)
