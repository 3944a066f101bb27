"""Submissions: create (validate, store, enqueue) and run (grade, store, record progress)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from apps.curriculum.models import Exercise
from apps.curriculum.selectors import exercise_spec
from apps.progress.reviews.services import review_record_attempt
from apps.progress.services import attempt_graded_data, exercise_progress_record_attempt
from apps.sandbox.backends import grading_backend
from apps.sandbox.grading.engine import (
    CodeRejected,
    grade_code,
    new_seed,
    rejected_result,
    validate_code,
)
from apps.sandbox.grading.limits import MAX_CODE_BYTES
from apps.sandbox.grading.results import ErrorInfo, GradeResult, Verdict, error_result
from apps.sandbox.models import (
    PENDING_STATUSES,
    Submission,
    SubmissionPurpose,
    SubmissionStatus,
)
from apps.sandbox.results import result_columns
from apps.sandbox.runner import SandboxUnavailable
from apps.sandbox.waits import submission_changed

logger = logging.getLogger(__name__)

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class BrokerUnavailable(RuntimeError):
    """The queue can't be reached. ``submission_id`` names the row to discard."""

    def __init__(self, message: str, submission_id: int | None = None) -> None:
        super().__init__(message)
        self.submission_id = submission_id


def submission_enqueue(*, submission_id: int) -> None:
    """Send a submission's grading task to the queue; BrokerUnavailable if that fails.

    Without a broker (Celery eager, the embedded default) the task runs right here, inside
    this call: an exception then comes from grading, not from a queue, and the submission is
    stored, so it is logged and the caller answers with the row as it is (never "your code
    was not submitted").
    """
    from apps.sandbox.tasks import submission_run_task

    try:
        # One quick reconnect: a pooled connection to a Redis that restarted is dead, and
        # the first publish on it fails although the broker is back. Then give up fast.
        submission_run_task.apply_async(
            args=(submission_id,),
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
        )
    except Exception as exc:  # kombu raises OperationalError, redis ConnectionError...
        if submission_run_task.app.conf.task_always_eager:
            logger.exception("grading submission %s inline failed", submission_id)
            return
        raise BrokerUnavailable(
            f"the grading queue is unreachable: {type(exc).__name__}", submission_id
        ) from exc


def submission_create(
    *,
    user: User,
    exercise: Exercise,
    code: str | bytes,
    purpose: str = SubmissionPurpose.PRACTICE,
    on_stored: Callable[[Submission], Callable[[], object]] | None = None,
) -> Submission:
    """Store a submission and enqueue its grading once the row is committed.

    Every submission draws a fresh seed: its hidden cases are new. ``purpose`` says where its
    verdict counts: practice in the exercise's progress, a review in the review schedule
    (apps/sandbox/reviews.py checks the review is due first).

    Code that can't be run (empty, too large, not UTF-8, NUL bytes) is stored straight away
    as ``rejected`` with the reason, so the learner's history shows it. If the broker is
    down the row is deleted again and BrokerUnavailable raised: no submission is left queued
    that no worker will ever see.

    ``on_stored(submission)`` is called as soon as the row is written, and what it returns
    once the row is committed, before the grading is queued (commit callbacks run in order):
    a request waiting for the verdict sends its subscription in the first and has it
    confirmed in the second, so the round trip overlaps the commit. An exception from either
    is logged and the grading queued all the same.
    """
    try:
        text = validate_code(code)
    except CodeRejected as rejection:
        return _submission_rejected(user, exercise, code, purpose, str(rejection))
    with transaction.atomic():
        submission = Submission.objects.create(
            user=user,
            exercise=exercise,
            code=text,
            status=SubmissionStatus.QUEUED,
            content_version=exercise.content_version,
            check_version=exercise.check_version,
            purpose=purpose,
            seed=new_seed(),
            enqueued_at=timezone.now(),
        )
        if on_stored is not None:
            _before_enqueue(on_stored, submission)
        transaction.on_commit(lambda: submission_enqueue(submission_id=submission.pk))
    from apps.sandbox.tasks import submission_run_task

    if submission_run_task.app.conf.task_always_eager:
        # Eager mode ran the task inside on_commit: reload what it stored. (With a broker
        # the row is as created: a worker's changes are the next read's to show.)
        submission.refresh_from_db()
    return submission


def _before_enqueue(
    on_stored: Callable[[Submission], Callable[[], object]], row: Submission
) -> None:
    try:
        then = on_stored(row)
    except Exception:
        logger.exception("preparing for submission %s failed; it is queued all the same", row.pk)
        return
    transaction.on_commit(then, robust=True)


def _submission_rejected(
    user: User, exercise: Exercise, code: str | bytes, purpose: str, reason: str
) -> Submission:
    preview = code if isinstance(code, str) else code.decode("utf-8", errors="replace")
    now = timezone.now()
    return Submission.objects.create(
        user=user,
        exercise=exercise,
        # NUL and lone surrogates can't be stored (PostgreSQL, UTF-8): shown as U+FFFD.
        code=_UNSTORABLE.sub("\ufffd", preview)[:MAX_CODE_BYTES],
        content_version=exercise.content_version,
        check_version=exercise.check_version,
        purpose=purpose,
        started_at=now,
        finished_at=now,
        **result_columns(rejected_result(exercise.slug, reason)),
    )


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
            # Only the submission's row is locked (not the exercise's or the user's, which
            # are joined here so grading and counting need no query of their own).
            Submission.objects.select_for_update(of=("self",))
            .select_related("exercise", "user")
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
        _commit_without_waiting_for_disk()
        submission.save(update_fields=["status", "started_at", "runs"])
        _announce_on_commit(submission)
        return submission


def _commit_without_waiting_for_disk() -> None:
    """Let this transaction's commit return before its WAL record is flushed (PostgreSQL).

    Only for the claim, the one write whose loss is harmless: a database crash in the next
    fraction of a second could forget it, leaving the row as it was before (queued, or a
    stale claim), which is what the requeue sweep and the conditional store already handle.
    The claim sits between the queue and the sandbox on every grading; a synchronous commit
    is a disk flush (a median 2 ms here, more when the disk is busy). Never the verdict.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


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
    spec = exercise_spec(exercise=submission.exercise)
    try:
        result = grade_code(spec, submission.code, runner=grading_backend(), seed=submission.seed)
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
    _store_error(submission, check="grading finished", message=message, error_type="GradingFailed")
    logger.error("submission %s given up after %s runs", submission.pk, submission.runs)


def _announce_on_commit(submission: Submission) -> None:
    """Wake whoever waits on this submission (apps/sandbox/waits.py) once the change commits."""
    submission_id, status = submission.pk, str(submission.status)
    transaction.on_commit(lambda: submission_changed(submission_id=submission_id, status=status))


def _store_error(submission: Submission, *, check: str, message: str, error_type: str) -> None:
    """Finish a submission with an error no check ran for (the caller holds the row lock)."""
    columns = result_columns(
        error_result(
            submission.exercise.slug,
            Verdict.ERROR,
            check=check,
            message=message,
            error=ErrorInfo(type=error_type, message=message),
        )
    )
    for name in ("status", "error", "checks"):
        setattr(submission, name, columns[name])
    submission.finished_at = timezone.now()
    submission.save(update_fields=["status", "error", "checks", "finished_at"])
    _announce_on_commit(submission)


def _still_pending(submission: Submission) -> bool:
    """Lock the row; False if another run of it already stored a verdict (it wins)."""
    current = Submission.objects.select_for_update().only("status").get(pk=submission.pk)
    return current.status in PENDING_STATUSES


@transaction.atomic
def submission_mark_ungradable(*, submission: Submission, reason: str) -> Submission:
    if not _still_pending(submission):
        return submission
    message = f"this server cannot grade code safely right now, so it was not run ({reason})"
    _store_error(
        submission, check="grader available", message=message, error_type="SandboxUnavailable"
    )
    return submission


def submission_store_result(*, submission: Submission, result: GradeResult) -> Submission:
    """Store a grade and count the attempt in the learner's progress, in one transaction.

    Once: if another run of the same submission already stored a verdict, this one is
    dropped and the stored one returned. The check version stored is the one it was graded
    with (the exercise row the claim loaded, whose files grading used). A review counts in
    the review schedule instead.

    A grade the database refuses (a value it cannot hold: result_columns makes every string
    storable, so this is a bug of ours) never leaves the row ``running``: the submission is
    finished as an error that says its result could not be saved, not counted as an attempt,
    and the fault is logged. Only an unreachable database (OperationalError, InterfaceError)
    propagates, for the task's retry and the requeue sweep.
    """
    try:
        with transaction.atomic():
            stored = _store_grade(submission, result)
    except (OperationalError, InterfaceError):
        raise
    except (DatabaseError, ValueError, TypeError):
        # Nothing of the grade was written (its transaction rolled back, with the row lock
        # it took): the error is stored in a transaction of its own, the row locked again.
        # No savepoint around the grade: two round trips on every grading for this one case.
        logger.exception("the grade of submission %s could not be stored", submission.pk)
        with transaction.atomic():
            if _still_pending(submission):
                submission.refresh_from_db()
                message = (
                    "your code ran, but its result could not be saved (a fault on our side, "
                    "now logged); it does not count as an attempt, so submit it again"
                )
                _store_error(
                    submission, check="result saved", message=message, error_type="ResultNotSaved"
                )
                return submission
        stored = False
    if not stored:
        submission.refresh_from_db()
    return submission


def _store_grade(submission: Submission, result: GradeResult) -> bool:
    """Store a grade and count it: in progress, or in the review schedule for a review.

    False, and nothing written, if another run of the submission stored its verdict first:
    the write is conditional on the row still being pending, so it takes the row's lock and
    checks it in one statement (a concurrent store makes it wait, then match no row).
    """
    columns = result_columns(result)
    for name, value in columns.items():
        setattr(submission, name, value)
    submission.check_version = submission.exercise.check_version
    submission.finished_at = timezone.now()
    fields = [*columns, "check_version", "finished_at"]
    pending = Submission.objects.filter(pk=submission.pk, status__in=PENDING_STATUSES)
    if not pending.update(**{name: getattr(submission, name) for name in fields}):
        return False
    _announce_on_commit(submission)
    if submission.purpose == SubmissionPurpose.REVIEW:
        review_record_attempt(
            user=submission.user,
            exercise=submission.exercise,
            submission_id=submission.pk,
            score=result.score,
            passed=result.passed,
            at=submission.finished_at,
            event_data=attempt_graded_data(
                score=result.score,
                passed=result.passed,
                status=submission.status,
                duration_ms=submission.duration_ms,
                checks=submission.checks,
            ),
        )
        return True
    exercise_progress_record_attempt(
        user=submission.user,
        exercise=submission.exercise,
        submission_id=submission.pk,
        score=result.score,
        passed=result.passed,
        # From the stored checks: their names are storable (neutralised), the result's may not be.
        failed_checks=[check["name"] for check in submission.checks if not check["passed"]],
        at=submission.finished_at,
        checks=submission.checks,
        duration_ms=submission.duration_ms,
        status=submission.status,
    )
    return True
