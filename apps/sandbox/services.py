"""Submissions: create (validate, store, enqueue) and run (grade, store, record progress)."""

from __future__ import annotations

import dataclasses
import logging
import threading
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from apps.curriculum.loader import ExerciseSpec, load_curriculum
from apps.curriculum.models import Exercise
from apps.progress.services import exercise_progress_record_attempt
from apps.sandbox.grading.engine import (
    CodeRejected,
    grade_code,
    new_seed,
    rejected_result,
    validate_code,
)
from apps.sandbox.grading.runners import SandboxRunner
from apps.sandbox.models import PENDING_STATUSES, Submission, SubmissionStatus
from apps.sandbox.runner import SandboxUnavailable

logger = logging.getLogger(__name__)

MAX_OUTPUT_STORED = 64 * 1024


class BrokerUnavailable(RuntimeError):
    """The queue can't be reached. ``submission_id`` names the row to discard."""

    def __init__(self, message: str, submission_id: int | None = None) -> None:
        super().__init__(message)
        self.submission_id = submission_id


# slug -> spec, as last loaded from disk. Reloaded only when a row's content hash (written by
# sync_curriculum) differs from the cached spec's: walking the content tree costs ~20 ms.
_specs: dict[str, ExerciseSpec] = {}
_specs_lock = threading.Lock()


def exercise_spec_for(exercise: Exercise) -> ExerciseSpec:
    """The on-disk spec an exercise row was synced from."""
    spec = _specs.get(exercise.slug)
    if spec is not None and spec.content_hash == exercise.content_hash:
        return spec
    with _specs_lock:
        _specs.clear()
        _specs.update(load_curriculum().exercises_by_slug)
    spec = _specs[exercise.slug]
    if spec.content_hash != exercise.content_hash:
        logger.warning("%s changed on disk since the last sync_curriculum", exercise.slug)
        # Cache it under the row's hash anyway, so an unsynced edit costs one reload, not one
        # per submission; the files on disk are what grading uses.
        _specs[exercise.slug] = dataclasses.replace(spec, content_hash=exercise.content_hash)
    return _specs[exercise.slug]


def submission_enqueue(*, submission_id: int) -> None:
    """Send a submission's grading task to the queue; BrokerUnavailable if that fails."""
    from apps.sandbox.tasks import submission_run_task

    try:
        # One quick reconnect: a pooled connection to a Redis that restarted is dead, and
        # the first publish on it fails although the broker is back. Then give up fast.
        submission_run_task.apply_async(
            args=[submission_id],
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
        )
    except Exception as exc:  # kombu raises OperationalError, redis ConnectionError...
        raise BrokerUnavailable(
            f"the grading queue is unreachable: {type(exc).__name__}", submission_id
        ) from exc


def submission_create(*, user: User, exercise: Exercise, code: str | bytes) -> Submission:
    """Store a submission and enqueue its grading once the row is committed.

    Code that can't be run (empty, over 64 KiB, not UTF-8, NUL bytes) is stored straight away
    as ``rejected`` with the reason, so the learner's history shows it. If the broker is
    down the row is deleted again and BrokerUnavailable raised: no submission is left queued
    that no worker will ever see.
    """
    try:
        text = validate_code(code)
    except CodeRejected as rejection:
        result = rejected_result(exercise.slug, str(rejection))
        preview = code if isinstance(code, str) else code.decode("utf-8", errors="replace")
        now = timezone.now()
        return Submission.objects.create(
            user=user,
            exercise=exercise,
            code=preview.replace("\x00", "\ufffd")[: 64 * 1024],
            status=SubmissionStatus.REJECTED,
            checks=result["checks"],
            error=result["error"],
            content_version=exercise.content_version,
            started_at=now,
            finished_at=now,
        )
    with transaction.atomic():
        submission = Submission.objects.create(
            user=user,
            exercise=exercise,
            code=text,
            status=SubmissionStatus.QUEUED,
            content_version=exercise.content_version,
            seed=new_seed(),
            enqueued_at=timezone.now(),
        )
        transaction.on_commit(lambda: submission_enqueue(submission_id=submission.pk))
    # Eager mode ran the task inside on_commit: reload what it stored.
    submission.refresh_from_db()
    return submission


def submission_discard_unqueued(*, submission_id: int) -> None:
    """Undo a create whose enqueue failed (the row was committed before the broker said no)."""
    Submission.objects.filter(pk=submission_id, status=SubmissionStatus.QUEUED, runs=0).delete()


def _claim(submission_id: int, *, redelivered: bool) -> Submission | None:
    """Mark a submission running and return it, or None if this delivery should not grade it.

    Row-locked. A ``running`` row is taken over only when its worker is presumed dead: the
    broker redelivered the message (it was never acknowledged), or the claim is older than
    SUBMISSION_REQUEUE_AFTER. Otherwise another worker is grading it right now and this is
    a spare copy sent by the requeue sweep. A row claimed SUBMISSION_MAX_RUNS times without
    finishing gets its final verdict here instead of another run.
    """
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update()
            .select_related("exercise")
            .filter(pk=submission_id)
            .first()
        )
        if submission is None or submission.status not in PENDING_STATUSES:
            return None
        if submission.status == SubmissionStatus.RUNNING and not redelivered:
            lease = timedelta(seconds=settings.SUBMISSION_REQUEUE_AFTER)
            started = submission.started_at
            if started is not None and timezone.now() - started < lease:
                return None
        if submission.runs >= settings.SUBMISSION_MAX_RUNS:
            _mark_unfinishable(submission)
            return None
        submission.status = SubmissionStatus.RUNNING
        submission.started_at = timezone.now()
        submission.runs += 1
        submission.save(update_fields=["status", "started_at", "runs"])
        return submission


def submission_run(*, submission_id: int, redelivered: bool = False) -> Submission | None:
    """Grade a submission and store its result. Idempotent: a finished one is left alone.

    ``redelivered``: an earlier delivery of this task ended without a verdict (the broker's
    redelivered flag: its worker died; or the task's own retry). Such a delivery finds the
    row ``running`` and grades it again from the start: grading is a pure function of code,
    exercise and seed, and only the first result is stored and counted.
    """
    submission = _claim(submission_id, redelivered=redelivered)
    if submission is None:
        return None
    spec = exercise_spec_for(submission.exercise)
    try:
        result: dict[str, Any] = grade_code(
            spec, submission.code, runner=SandboxRunner(), seed=submission.seed
        )
    except SandboxUnavailable as exc:
        # Fail closed, and say so: the code never runs unconfined, the learner is not left
        # waiting on a verdict that can't come, and nothing counts as an attempt.
        logger.critical("sandbox unavailable, submission %s not graded: %s", submission.pk, exc)
        return submission_mark_ungradable(submission=submission, reason=str(exc))
    return submission_store_result(submission=submission, result=result)


def _mark_unfinishable(submission: Submission) -> None:
    """The one grading failure not retried: every run so far ended with its worker gone.

    Code that takes a worker down each time (the sandbox contains it, so this should not
    happen) must not cycle forever. Not counted as an attempt. The caller holds the row lock.
    """
    message = (
        f"grading this code was started {submission.runs} times and never finished, so it "
        "was stopped; it does not count as an attempt"
    )
    submission.status = SubmissionStatus.ERROR
    submission.error = {"type": "GradingFailed", "message": message, "line": None, "traceback": ""}
    submission.checks = [
        {"name": "grading finished", "passed": False, "message": message, "points": 0}
    ]
    submission.finished_at = timezone.now()
    submission.save(update_fields=["status", "error", "checks", "finished_at"])
    logger.error("submission %s given up after %s runs", submission.pk, submission.runs)


def _still_pending(submission: Submission) -> bool:
    """Lock the row; False if another run of it already stored a verdict (it wins)."""
    current = Submission.objects.select_for_update().only("status").get(pk=submission.pk)
    return current.status in PENDING_STATUSES


@transaction.atomic
def submission_mark_ungradable(*, submission: Submission, reason: str) -> Submission:
    if not _still_pending(submission):
        return submission
    message = f"this server cannot grade code safely right now, so it was not run ({reason})"
    submission.status = SubmissionStatus.ERROR
    submission.error = {
        "type": "SandboxUnavailable",
        "message": message,
        "line": None,
        "traceback": "",
    }
    submission.checks = [
        {"name": "grader available", "passed": False, "message": message, "points": 0}
    ]
    submission.finished_at = timezone.now()
    submission.save(update_fields=["status", "error", "checks", "finished_at"])
    return submission


def submission_store_result(*, submission: Submission, result: dict[str, Any]) -> Submission:
    """Store a verdict and count it in progress, once: a second run's verdict is dropped."""
    with transaction.atomic():
        if not _still_pending(submission):
            submission.refresh_from_db()
            return submission
        submission.status = result["status"]
        submission.score = result["score"]
        submission.checks = result["checks"]
        submission.figures = result["figures"]
        submission.stdout = result["stdout"][:MAX_OUTPUT_STORED]
        submission.stderr = result["stderr"][:MAX_OUTPUT_STORED]
        submission.error = result["error"]
        submission.duration_ms = result["duration_ms"]
        submission.finished_at = timezone.now()
        submission.save(
            update_fields=[
                "status",
                "score",
                "checks",
                "figures",
                "stdout",
                "stderr",
                "error",
                "duration_ms",
                "finished_at",
            ]
        )
        exercise_progress_record_attempt(
            user=submission.user,
            exercise=submission.exercise,
            submission_id=submission.pk,
            score=submission.score,
            passed=submission.status == SubmissionStatus.PASSED,
            failed_checks=[c["name"] for c in submission.checks if not c["passed"]],
            at=submission.finished_at,
        )
    return submission
