"""Regrading when an exercise's checks change: counted, regraded in the sandbox beside the
old verdicts, accepted (progress recounted once) or discarded, and never ahead of learners."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.curriculum.models import Exercise
from apps.progress.models import (
    CheckFailureCount,
    ExerciseProgress,
    LearningEvent,
    LearningEventKind,
    ReviewCard,
)
from apps.progress.services import exercise_progress_record_attempt
from apps.sandbox import regrading
from apps.sandbox.models import (
    Regrade,
    RegradeRowState,
    RegradeStatus,
    Submission,
    SubmissionPurpose,
    SubmissionStatus,
)

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = (ROOT / "apps/curriculum/content/probability/exercises/softmax/solution.py").read_text()
WRONG = "import numpy as np\ndef softmax(z):\n    return np.exp(z)\n"

pytestmark = pytest.mark.django_db


def graded_under_old_checks(user, code, *, status, score, purpose=SubmissionPurpose.PRACTICE):
    """A submission the old checks graded (stored as they left it) and counted."""
    exercise = Exercise.objects.get(slug="softmax")
    now = timezone.now()
    submission = Submission.objects.create(
        user=user,
        exercise=exercise,
        code=code,
        status=status,
        score=score,
        checks=[{"name": "old check", "passed": status == "passed", "message": "", "points": 1}],
        seed=12345,
        check_version=1,  # the first checks; the new_checks fixture moves the exercise on
        purpose=purpose,
        started_at=now,
        finished_at=now,
    )
    if purpose == SubmissionPurpose.PRACTICE:
        exercise_progress_record_attempt(
            user=user,
            exercise=exercise,
            submission_id=submission.pk,
            score=score,
            passed=status == "passed",
            failed_checks=[] if status == "passed" else ["old check"],
            at=now,
        )
    return submission


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    """Start a regrade and run what it queues on commit (eager: every batch, now)."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return regrading.regrade_start(**kwargs)

    return run


@pytest.fixture
def new_checks():
    """The exercise's checks changed since (as sync_curriculum records it)."""
    exercise = Exercise.objects.get(slug="softmax")
    exercise.check_version += 1
    exercise.save(update_fields=["check_version"])
    return exercise


def test_it_counts_what_older_checks_graded_and_nothing_else(
    alice, bob, teacher, make_cohort, new_checks
) -> None:
    cohort = make_cohort(teacher, [alice])
    graded_under_old_checks(alice, WRONG, status="failed", score=0.5)
    graded_under_old_checks(bob, WRONG, status="failed", score=0.5)
    graded_under_old_checks(alice, "", status="rejected", score=0.0)
    graded_under_old_checks(
        alice, SOLUTION, status="passed", score=1.0, purpose=SubmissionPurpose.REVIEW
    )
    [everyone] = regrading.stale_counts()
    assert (everyone.exercise, everyone.stale) == (new_checks, 2)
    [mine] = regrading.stale_counts(cohort=cohort)
    assert mine.stale == 1


def test_a_regrade_stores_new_verdicts_beside_the_old_and_changes_nothing_yet(
    start, alice, new_checks
) -> None:
    submission = graded_under_old_checks(alice, SOLUTION, status="failed", score=0.5)
    regrade = start(exercise=new_checks)  # eager: every batch runs now
    regrade.refresh_from_db()
    assert regrade.status == RegradeStatus.READY
    assert (regrade.total, regrade.graded) == (1, 1)
    row = regrade.rows.get()
    assert (row.old_status, row.old_score) == ("failed", 0.5)
    assert (row.new_status, row.new_score) == ("passed", 1.0)
    submission.refresh_from_db()
    assert (submission.status, submission.score) == ("failed", 0.5)
    progress = ExerciseProgress.objects.get(user=alice)
    assert (progress.best_score, progress.passed) == (0.5, False)
    summary = regrading.regrade_summary(regrade=regrade)
    assert (summary.changed, summary.higher, summary.newly_passed) == (1, 1, 1)


def test_accepting_applies_the_verdicts_keeps_the_old_and_recounts_progress_once(
    start, alice, new_checks
) -> None:
    first = graded_under_old_checks(alice, WRONG, status="failed", score=0.5)
    second = graded_under_old_checks(alice, SOLUTION, status="failed", score=0.5)
    regrade = start(exercise=new_checks)
    decision = regrading.regrade_accept(regrade=regrade, by=None)
    assert (decision.accepted, decision.learners) == (2, 1)
    second.refresh_from_db()
    assert (second.status, second.score) == ("passed", 1.0)
    assert second.check_version == new_checks.check_version
    kept = second.regrades.get()
    assert kept.state == RegradeRowState.ACCEPTED
    assert kept.old_result["status"] == "failed"
    assert kept.old_result["checks"][0]["name"] == "old check"
    progress = ExerciseProgress.objects.get(user=alice)
    assert progress.attempts == 2  # not counted again
    assert (progress.best_score, progress.attempts_to_pass) == (1.0, 2)
    assert progress.passed
    first.refresh_from_db()
    failed_checks = set(
        CheckFailureCount.objects.filter(user=alice).values_list("check_name", flat=True)
    )
    assert "old check" not in failed_checks
    assert failed_checks == {c["name"] for c in first.checks if not c["passed"]}
    assert ReviewCard.objects.filter(user=alice).exists()
    passed_events = LearningEvent.objects.filter(kind=LearningEventKind.EXERCISE_PASSED)
    assert [e.data.get("regraded") for e in passed_events] == [True]
    assert regrading.stale_counts() == []


def test_a_pass_the_new_checks_take_away_takes_the_exercise_off_the_review_schedule(
    start, alice, new_checks
) -> None:
    graded_under_old_checks(alice, WRONG, status="passed", score=1.0)
    assert ReviewCard.objects.filter(user=alice).exists()
    regrading.regrade_accept(regrade=start(exercise=new_checks), by=None)
    progress = ExerciseProgress.objects.get(user=alice)
    assert not progress.passed
    assert progress.best_score < 1.0
    assert not ReviewCard.objects.filter(user=alice).exists()


def test_discarding_changes_nothing_and_a_decided_regrade_stays_decided(
    start, alice, new_checks
) -> None:
    submission = graded_under_old_checks(alice, SOLUTION, status="failed", score=0.5)
    regrade = start(exercise=new_checks)
    regrading.regrade_discard(regrade=regrade, by=None)
    submission.refresh_from_db()
    assert submission.status == "failed"
    assert ExerciseProgress.objects.get(user=alice).best_score == 0.5
    with pytest.raises(regrading.RegradeRefused):
        regrading.regrade_accept(regrade=regrade, by=None)
    # Still stale: a new regrade may be started.
    assert start(exercise=new_checks).pk != regrade.pk


def test_one_open_regrade_per_exercise_and_cohort(start, alice, new_checks) -> None:
    graded_under_old_checks(alice, SOLUTION, status="failed", score=0.5)
    start(exercise=new_checks)
    with pytest.raises(regrading.RegradeRefused):
        start(exercise=new_checks)


def test_a_submission_regraded_twice_is_applied_once(
    start, alice, teacher, make_cohort, new_checks
) -> None:
    cohort = make_cohort(teacher, [alice])
    graded_under_old_checks(alice, SOLUTION, status="failed", score=0.5)
    everyone = start(exercise=new_checks)
    for_cohort = start(exercise=new_checks, cohort=cohort)
    regrading.regrade_accept(regrade=everyone, by=None)
    decision = regrading.regrade_accept(regrade=for_cohort, by=teacher)
    assert (decision.accepted, decision.superseded) == (0, 1)
    assert ExerciseProgress.objects.get(user=alice).attempts == 1


def test_a_batch_steps_aside_while_a_learner_waits(alice, bob, new_checks) -> None:
    graded_under_old_checks(alice, SOLUTION, status="failed", score=0.5)
    # Not committed here, so nothing queued runs: the test drives the batches itself.
    regrade = regrading.regrade_start(exercise=new_checks)
    waiting = Submission.objects.create(
        user=bob, exercise=new_checks, code=WRONG, status=SubmissionStatus.QUEUED
    )
    outcome = regrading.regrade_grade_batch(regrade_id=regrade.pk)
    assert outcome is regrading.BatchOutcome.YIELD
    assert regrade.rows.get().state == RegradeRowState.PENDING
    waiting.delete()
    assert regrading.regrade_grade_batch(regrade_id=regrade.pk) is regrading.BatchOutcome.DONE
    regrade.refresh_from_db()
    assert regrade.status == RegradeStatus.READY


def test_newer_checks_during_a_regrade_discard_it(alice, new_checks) -> None:
    graded_under_old_checks(alice, SOLUTION, status="failed", score=0.5)
    regrade = regrading.regrade_start(exercise=new_checks)
    new_checks.check_version += 1
    new_checks.save(update_fields=["check_version"])
    assert regrading.regrade_grade_batch(regrade_id=regrade.pk) is regrading.BatchOutcome.DONE
    regrade.refresh_from_db()
    assert regrade.status == RegradeStatus.DISCARDED


def test_the_command_counts_starts_shows_and_accepts(
    alice, new_checks, capsys, django_capture_on_commit_callbacks
) -> None:
    graded_under_old_checks(alice, SOLUTION, status="failed", score=0.5)
    call_command("regrade", "--dry-run")
    assert "softmax: 1 submission(s) graded before check version" in capsys.readouterr().out
    assert not Regrade.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("regrade", "--exercise", "softmax")
    regrade = Regrade.objects.get()
    assert f"regrade {regrade.pk} started" in capsys.readouterr().out
    call_command("regrade", "--show", str(regrade.pk))
    assert "failed 0.5000 -> passed 1.0000" in capsys.readouterr().out
    call_command("regrade", "--accept", str(regrade.pk))
    assert "1 submission(s) regraded" in capsys.readouterr().out
    assert ExerciseProgress.objects.get(user=alice).passed


def test_a_batch_stops_before_a_grading_that_might_not_fit_in_its_time_limit(
    alice, bob, new_checks, monkeypatch
) -> None:
    from apps.sandbox.grading.limits import TRUSTED_WORK_SECONDS, runner_limits

    graded_under_old_checks(alice, SOLUTION, status="failed", score=0.5)
    graded_under_old_checks(bob, SOLUTION, status="failed", score=0.5)
    regrade = regrading.regrade_start(exercise=new_checks)  # its batches queued on commit: none
    # A soft limit with room for exactly one grading of this exercise.
    wall = runner_limits(regrading.exercise_spec(exercise=new_checks).limits).wall_seconds
    monkeypatch.setattr(regrading, "TASK_SOFT_TIME_LIMIT", wall + TRUSTED_WORK_SECONDS)
    assert regrading.regrade_grade_batch(regrade_id=regrade.pk) is regrading.BatchOutcome.MORE
    regrade.refresh_from_db()
    assert regrade.graded == 1
    assert regrading.regrade_grade_batch(regrade_id=regrade.pk) is regrading.BatchOutcome.DONE
    regrade.refresh_from_db()
    assert (regrade.graded, regrade.status) == (2, RegradeStatus.READY)
