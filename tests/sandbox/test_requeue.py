"""Nothing a learner submits is lost: stranded submissions are graded again, counted once.

On the embedded default (SQLite, Celery eager) sending a task grades it inline, so each test
sees the verdict the learner would get once a worker takes the task. The same paths over a
real Redis and a killed worker are in tests/services/test_resilience.py.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.curriculum.models import Exercise
from apps.progress.models import ExerciseProgress
from apps.sandbox.grading.results import GradeResult, Verdict
from apps.sandbox.models import Submission
from apps.sandbox.requeue import submissions_requeue_stale
from apps.sandbox.services import submission_run, submission_store_result

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = (ROOT / "apps/curriculum/content/probability/exercises/softmax/solution.py").read_text()

pytestmark = pytest.mark.django_db


def stranded(user, *, status: str, age: timedelta, runs: int = 0) -> Submission:
    """A submission whose task the queue lost ``age`` ago (a killed worker, a Redis restart)."""
    then = timezone.now() - age
    return Submission.objects.create(
        user=user,
        exercise=Exercise.objects.get(slug="softmax"),
        code=SOLUTION,
        status=status,
        seed=7,
        enqueued_at=then,
        started_at=then if status == "running" else None,
        runs=runs,
    )


def attempts(user) -> int:
    row = ExerciseProgress.objects.filter(user=user).first()
    return row.attempts if row else 0


def test_a_submission_stuck_running_is_graded_again_not_marked_interrupted(alice) -> None:
    stuck = stranded(alice, status="running", age=timedelta(hours=1), runs=1)
    assert submissions_requeue_stale() == 1
    stuck.refresh_from_db()
    assert stuck.status == "passed"
    assert stuck.score == 1.0
    assert stuck.runs == 2
    assert attempts(alice) == 1


def test_a_queued_submission_whose_task_was_lost_is_sent_again(alice) -> None:
    lost = stranded(alice, status="queued", age=timedelta(hours=1))
    assert submissions_requeue_stale() == 1
    lost.refresh_from_db()
    assert lost.status == "passed"
    assert attempts(alice) == 1


def test_a_recently_sent_submission_is_left_to_the_queue(alice) -> None:
    fresh = stranded(alice, status="queued", age=timedelta(seconds=1))
    assert submissions_requeue_stale() == 0
    fresh.refresh_from_db()
    assert fresh.status == "queued"


def test_once_the_broker_lost_its_data_every_queued_submission_is_sent_at_once(alice) -> None:
    fresh = stranded(alice, status="queued", age=timedelta(seconds=1))
    assert submissions_requeue_stale(lost_before=timezone.now()) == 1
    fresh.refresh_from_db()
    assert fresh.status == "passed"


def test_a_submission_a_live_worker_is_grading_is_not_taken_from_it(alice) -> None:
    running = stranded(alice, status="running", age=timedelta(seconds=1), runs=1)
    assert submissions_requeue_stale() == 0
    # A spare copy of its task (not a redelivery) leaves it to the worker grading it.
    assert submission_run(submission_id=running.pk) is None
    running.refresh_from_db()
    assert (running.status, running.runs) == ("running", 1)


def test_a_redelivered_task_takes_over_from_a_worker_that_died(alice) -> None:
    running = stranded(alice, status="running", age=timedelta(seconds=1), runs=1)
    graded = submission_run(submission_id=running.pk, redelivered=True)
    assert graded is not None
    assert (graded.status, graded.runs) == ("passed", 2)
    assert submission_run(submission_id=running.pk, redelivered=True) is None, "finished stays"
    assert attempts(alice) == 1


def test_two_runs_of_one_submission_store_and_count_only_the_first_verdict(alice) -> None:
    # Two workers both graded it (a redelivery while the first was still alive): the
    # second verdict must neither overwrite the first nor count a second attempt.
    submission = stranded(alice, status="running", age=timedelta(seconds=1), runs=2)
    first = GradeResult(exercise="softmax", status=Verdict.PASSED, score=1.0, duration_ms=5.0)
    submission_store_result(submission=Submission.objects.get(pk=submission.pk), result=first)
    second = replace(first, status=Verdict.FAILED, score=0.0, duration_ms=9.0)
    stored = submission_store_result(
        submission=Submission.objects.get(pk=submission.pk), result=second
    )
    assert (stored.status, stored.score, stored.duration_ms) == ("passed", 1.0, 5.0)
    assert attempts(alice) == 1


@pytest.fixture
def queue_without_workers():
    """Tasks go to Celery's in-memory broker and stay there: no worker takes them."""
    from dlmath.celery import app

    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = True


def test_sweeps_running_at_once_send_each_submission_once(alice, queue_without_workers) -> None:
    lost = stranded(alice, status="queued", age=timedelta(hours=1))
    now = timezone.now()
    assert submissions_requeue_stale(now=now) == 1
    assert submissions_requeue_stale(now=now) == 0, "the first sweep moved its enqueued_at"
    lost.refresh_from_db()
    assert (lost.status, lost.enqueued_at) == ("queued", now)


def test_a_submission_that_never_finishes_gets_a_final_error_not_another_run(
    alice, settings
) -> None:
    poison = stranded(
        alice, status="running", age=timedelta(hours=1), runs=settings.SUBMISSION_MAX_RUNS
    )
    submissions_requeue_stale()
    poison.refresh_from_db()
    assert poison.status == "error"
    assert poison.error["type"] == "GradingFailed"
    assert "does not count as an attempt" in poison.checks[0]["message"]
    assert attempts(alice) == 0


def test_the_sweep_command_sends_stranded_submissions_again(alice, capsys) -> None:
    lost = stranded(alice, status="queued", age=timedelta(hours=1))
    call_command("sweep_submissions")
    assert "1 submission(s) sent" in capsys.readouterr().out
    lost.refresh_from_db()
    assert lost.status == "passed"


# --- runs without grading (try-it cells, run on my own input) -----------------------------


def stranded_run(user, *, status: str, age: timedelta, code: str = "print(6 * 7)"):
    """A run whose task was lost ``age`` ago (its worker died, or the queue lost it)."""
    from apps.sandbox.models import Run

    run = Run.objects.create(user=user, kind="try", code=code, status=status)
    then = timezone.now() - age
    Run.objects.filter(pk=run.pk).update(
        created_at=then, started_at=then if status == "running" else None
    )
    return run


def test_a_young_run_stuck_running_is_run_again(alice, settings) -> None:
    from apps.sandbox.runs import runs_requeue_stale

    age = timedelta(seconds=settings.SUBMISSION_REQUEUE_AFTER + 5)
    stuck = stranded_run(alice, status="running", age=age)
    assert runs_requeue_stale() == (1, 0)
    stuck.refresh_from_db()
    assert (stuck.status, stuck.stdout) == ("ok", "42\n")


def test_a_young_queued_run_whose_task_was_lost_is_sent_again(alice, settings) -> None:
    from apps.sandbox.runs import runs_requeue_stale

    age = timedelta(seconds=settings.SUBMISSION_REQUEUE_AFTER + 5)
    lost = stranded_run(alice, status="queued", age=age)
    assert runs_requeue_stale() == (1, 0)
    lost.refresh_from_db()
    assert (lost.status, lost.stdout) == ("ok", "42\n")


def test_a_stale_run_is_marked_lost_with_a_message_not_run(alice) -> None:
    from apps.sandbox.runs import RUN_GIVE_UP_AFTER, runs_requeue_stale

    for status in ("queued", "running"):
        stale = stranded_run(alice, status=status, age=RUN_GIVE_UP_AFTER + timedelta(minutes=1))
        assert runs_requeue_stale() == (0, 1)
        stale.refresh_from_db()
        assert (stale.status, stale.stdout) == ("error", "")
        assert stale.error["type"] == "RunLost"
        assert "lost when the server running it stopped" in stale.error["message"]
        assert "run your code again" in stale.error["message"]
        assert stale.finished_at is not None


def test_a_run_a_live_worker_may_still_have_is_left_alone(alice) -> None:
    from apps.sandbox.runs import runs_requeue_stale

    queued = stranded_run(alice, status="queued", age=timedelta(seconds=1))
    running = stranded_run(alice, status="running", age=timedelta(seconds=1))
    assert runs_requeue_stale() == (0, 0)
    queued.refresh_from_db()
    running.refresh_from_db()
    assert (queued.status, running.status) == ("queued", "running")


def test_sweeps_running_at_once_send_each_run_once(alice, settings, queue_without_workers) -> None:
    from apps.sandbox.runs import runs_requeue_stale

    age = timedelta(seconds=settings.SUBMISSION_REQUEUE_AFTER + 5)
    lost = stranded_run(alice, status="queued", age=age)
    now = timezone.now()
    assert runs_requeue_stale(now=now) == (1, 0)
    assert runs_requeue_stale(now=now) == (0, 0), "the first sweep moved its enqueued_at"
    lost.refresh_from_db()
    assert (lost.status, lost.enqueued_at) == ("queued", now)


def test_the_sweep_command_handles_stranded_runs_too(alice, settings, capsys) -> None:
    from apps.sandbox.runs import RUN_GIVE_UP_AFTER

    young = stranded_run(
        alice, status="queued", age=timedelta(seconds=settings.SUBMISSION_REQUEUE_AFTER + 5)
    )
    old = stranded_run(alice, status="running", age=RUN_GIVE_UP_AFTER + timedelta(minutes=1))
    call_command("sweep_submissions")
    assert "1 run(s) sent again, 1 marked lost" in capsys.readouterr().out
    young.refresh_from_db()
    old.refresh_from_db()
    assert (young.status, old.status) == ("ok", "error")
