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
# Past the task's hard limit plus a margin, a running submission is no longer running.
STUCK_AFTER = timedelta(seconds=getattr(settings, "CELERY_TASK_TIME_LIMIT", 60) * 2 + 30)


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


def _enqueue(submission_id: int) -> None:
    from apps.sandbox.tasks import submission_run_task

    try:
        submission_run_task.apply_async(args=[submission_id], retry=False)
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
        )
        transaction.on_commit(lambda: _enqueue(submission.pk))
    # Eager mode ran the task inside on_commit: reload what it stored.
    submission.refresh_from_db()
    return submission


def submission_discard_unqueued(*, submission_id: int) -> None:
    """Undo a create whose enqueue failed (the row was committed before the broker said no)."""
    Submission.objects.filter(pk=submission_id, status=SubmissionStatus.QUEUED, runs=0).delete()


def _claim(submission_id: int) -> Submission | None:
    """Mark a submission running, unless it is already finished. Row-locked."""
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update()
            .select_related("exercise")
            .filter(pk=submission_id)
            .first()
        )
        if submission is None or submission.status not in PENDING_STATUSES:
            return None
        submission.status = SubmissionStatus.RUNNING
        submission.started_at = timezone.now()
        submission.runs += 1
        submission.save(update_fields=["status", "started_at", "runs"])
        return submission


def submission_run(*, submission_id: int) -> Submission | None:
    """Grade a submission and store its result. Idempotent: a finished one is left alone.

    A redelivered task (its worker died mid-grade) finds the row ``running`` and grades it
    again from the start; grading is a pure function of code, exercise and seed.
    """
    submission = _claim(submission_id)
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


def submission_mark_ungradable(*, submission: Submission, reason: str) -> Submission:
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
    with transaction.atomic():
        submission.status = result["status"]
        submission.score = result["score"]
        submission.checks = result["checks"]
        submission.figures = result["figures"]
        submission.stdout = result["stdout"][:MAX_OUTPUT_STORED]
        submission.stderr = result["stderr"][:MAX_OUTPUT_STORED]
        submission.error = result["error"]
        submission.duration_ms = result["duration_ms"]
        submission.finished_at = timezone.now()
        submission.save()
        exercise_progress_record_attempt(
            user=submission.user,
            exercise=submission.exercise,
            submission_id=submission.pk,
            score=submission.score,
            passed=submission.status == SubmissionStatus.PASSED,
            failed_checks=[c["name"] for c in submission.checks if not c["passed"]],
            at=submission.finished_at,
            checks=submission.checks,
            duration_ms=submission.duration_ms,
            status=submission.status,
        )
    return submission


def submission_fail_if_stuck(*, submission: Submission) -> Submission:
    """A submission running past every time limit lost its worker for good: say so."""
    started = submission.started_at
    stuck = started is not None and timezone.now() - started > STUCK_AFTER
    if submission.status != SubmissionStatus.RUNNING or not stuck:
        return submission
    message = (
        "grading was interrupted and did not finish within the time limit; please submit again"
    )
    updated = Submission.objects.filter(pk=submission.pk, status=SubmissionStatus.RUNNING).update(
        status=SubmissionStatus.ERROR,
        error={"type": "interrupted", "message": message, "line": None, "traceback": ""},
        checks=[{"name": "grading finished", "passed": False, "message": message, "points": 0}],
        finished_at=timezone.now(),
    )
    if updated:
        submission.refresh_from_db()
    return submission


def submissions_fail_stuck() -> int:
    """Sweep every stuck submission (run by `manage.py sweep_submissions`)."""
    cutoff = timezone.now() - STUCK_AFTER
    count = 0
    for submission in Submission.objects.filter(
        status=SubmissionStatus.RUNNING, started_at__lt=cutoff
    ):
        submission_fail_if_stuck(submission=submission)
        count += 1
    return count
