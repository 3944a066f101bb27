"""Runs: code run in the sandbox without grading (try-it cells, the scratchpad, "run on my
own input"). Create (validate, store, enqueue), execute (the task), read, expire.

Kept apart from submissions on purpose: a run is never an attempt, never touches progress,
and is forgotten after RUN_TTL. It goes through the same sandbox, the same Celery queue
(eager in the embedded default) and the same verdicts. Owned by its user: ``run_get`` finds
only the caller's own runs.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.curriculum.models import Exercise
from apps.curriculum.selectors import exercise_spec
from apps.sandbox.backends import grading_backend
from apps.sandbox.grading.engine import CodeRejected, validate_code
from apps.sandbox.grading.limits import DEFAULT_LIMITS, MAX_CODE_BYTES, runner_limits
from apps.sandbox.grading.scratch import (
    MAX_INPUT_BYTES,
    InputRejected,
    ScratchResult,
    error_dict,
    run_code,
    run_input,
    validate_input,
)
from apps.sandbox.models import RUN_PENDING_STATUSES, Run, RunKind, RunStatus
from apps.sandbox.runner import SandboxUnavailable
from apps.sandbox.services import BrokerUnavailable

logger = logging.getLogger(__name__)

RUN_TTL = timedelta(hours=24)
# A run stranded by a dead worker or a lost queue is sent again while someone may still be
# looking at its cell; older than this it is marked lost instead (the learner runs it again).
RUN_GIVE_UP_AFTER = timedelta(minutes=5)
RUN_LOST_MESSAGE = (
    "this run was lost when the server running it stopped, and it is too old to run again "
    "now: run your code again"
)
# Runs handled per sweep, oldest first (as for submissions: a sweep stays short).
REQUEUE_BATCH = 500
# A learner's newest runs kept; older ones go at their next run (a page can start many).
RUNS_KEPT_PER_USER = 50


def _enqueue(run_id: int) -> None:
    from apps.sandbox.run_tasks import run_execute_task

    try:
        run_execute_task.apply_async(args=(run_id,), retry=False)
    except Exception as exc:  # kombu raises OperationalError, redis ConnectionError...
        Run.objects.filter(pk=run_id, status=RunStatus.QUEUED).delete()
        raise BrokerUnavailable(f"the run queue is unreachable: {type(exc).__name__}") from exc


def _store(run: Run, result: ScratchResult) -> Run:
    run.status = result.status
    run.stdout = result.stdout
    run.stderr = result.stderr
    run.error = result.error
    run.value = result.value
    run.figures = result.figures
    run.notes = result.notes
    run.duration_ms = result.duration_ms
    run.finished_at = timezone.now()
    run.save()
    return run


def _forget_old(user: User) -> None:
    keep = list(
        Run.objects.filter(user=user)
        .order_by("-created_at", "-id")[:RUNS_KEPT_PER_USER]
        .values_list("pk", flat=True)
    )
    Run.objects.filter(user=user).exclude(pk__in=keep).delete()


def run_create(
    *, user: User, code: str, exercise: Exercise | None = None, input: str | None = None
) -> Run:
    """Store a run and enqueue it once committed; returns it (finished, when Celery is eager).

    With ``exercise`` it is an input run (``input`` is the call to make); otherwise a try-it
    run of ``code`` alone. Raises BrokerUnavailable (nothing left stored) if the queue is down.
    """
    kind = RunKind.INPUT if exercise is not None else RunKind.TRY
    fields = {
        "user": user,
        "kind": kind,
        "exercise": exercise,
        "code": code.replace("\x00", "\ufffd")[: 2 * MAX_CODE_BYTES],
        "input": (input or "").replace("\x00", "\ufffd")[: 2 * MAX_INPUT_BYTES],
    }
    try:
        validate_code(code)
        if exercise is not None:
            validate_input(input or "")
    except (CodeRejected, InputRejected) as rejection:
        # Refused before running, as submissions are: stored with the reason, never queued.
        _forget_old(user)
        now = timezone.now()
        error = error_dict("Rejected", str(rejection))
        return Run.objects.create(
            **fields, status=RunStatus.REJECTED, error=error, started_at=now, finished_at=now
        )
    with transaction.atomic():
        _forget_old(user)
        run = Run.objects.create(**fields, status=RunStatus.QUEUED)
        run_id = run.pk
        transaction.on_commit(lambda: _enqueue(run_id))
    run.refresh_from_db()
    return run


def _claim(run_id: int) -> Run | None:
    """Mark a run running and return it, or None if this delivery should not run it.

    A ``running`` run is taken over only once its claim is older than
    SUBMISSION_REQUEUE_AFTER (its worker died): a spare copy sent meanwhile leaves it to
    the worker running it.
    """
    with transaction.atomic():
        run = Run.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status not in RUN_PENDING_STATUSES:
            return None
        lease = timedelta(seconds=settings.SUBMISSION_REQUEUE_AFTER)
        started = run.started_at
        if run.status == RunStatus.RUNNING and started and timezone.now() - started < lease:
            return None
        run.status = RunStatus.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at"])
        return run


def run_execute(*, run_id: int) -> Run | None:
    """Run it in the sandbox and store what came back. A finished run is left alone."""
    run = _claim(run_id)
    if run is None:
        return None
    # The original code and input, as sent: the stored copies are cut only past the caps,
    # which run_code and run_input refuse anyway.
    try:
        if run.kind == RunKind.INPUT and run.exercise is not None:
            spec = exercise_spec(exercise=run.exercise)
            result = run_input(
                run.code, run.input, runner=grading_backend(), limits=runner_limits(spec.limits)
            )
        else:
            result = run_code(
                run.code, runner=grading_backend(), limits=runner_limits(DEFAULT_LIMITS)
            )
    except SandboxUnavailable as exc:
        logger.critical("sandbox unavailable, run %s not run: %s", run.pk, exc)
        message = f"this server cannot run code safely right now, so it was not run ({exc})"
        result = ScratchResult(status="error", error=error_dict("SandboxUnavailable", message))
    return _store(run, result)


def _send_again(run_id: int) -> None:
    from apps.sandbox.run_tasks import run_execute_task

    try:
        run_execute_task.apply_async(args=(run_id,), retry=False)
    except Exception as exc:  # kombu raises OperationalError, redis ConnectionError...
        raise BrokerUnavailable(f"the run queue is unreachable: {type(exc).__name__}") from exc


def runs_requeue_stale(
    *, lost_before: datetime | None = None, now: datetime | None = None
) -> tuple[int, int]:
    """Runs stranded queued or running: sent again if young, marked lost if stale.

    The same rule as submissions (apps/sandbox/requeue.py): a run queued, or running with a
    claim, older than SUBMISSION_REQUEUE_AFTER seconds since it was last sent (with
    ``lost_before``, every queued one sent before then) lost its task. One created within
    RUN_GIVE_UP_AFTER is sent again; an older one finishes as an ``error`` that says it was
    lost. Returns (sent again, marked lost). Safe from many sweeps at once: a row is sent by
    whichever moves its ``enqueued_at`` first. Raises BrokerUnavailable if the broker
    refuses (that row's ``enqueued_at`` is put back for the next sweep).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.SUBMISSION_REQUEUE_AFTER)
    sent_long_ago = Q(enqueued_at__lt=cutoff) | Q(enqueued_at=None, created_at__lt=cutoff)
    queued = Q(status=RunStatus.QUEUED)
    if lost_before is None:
        queued &= sent_long_ago
    else:
        queued &= Q(enqueued_at__lt=lost_before) | Q(enqueued_at=None, created_at__lt=lost_before)
    running = Q(status=RunStatus.RUNNING, started_at__lt=cutoff) & sent_long_ago
    stranded = Run.objects.filter(queued | running)
    give_up = now - RUN_GIVE_UP_AFTER
    lost_ids = list(
        stranded.filter(created_at__lt=give_up)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:REQUEUE_BATCH]
    )
    lost = Run.objects.filter(pk__in=lost_ids, status__in=RUN_PENDING_STATUSES).update(
        status=RunStatus.ERROR,
        error=error_dict("RunLost", RUN_LOST_MESSAGE),
        finished_at=now,
    )
    candidates = list(
        stranded.filter(created_at__gte=give_up)
        .order_by("created_at", "id")
        .values_list("pk", "status", "enqueued_at")[:REQUEUE_BATCH]
    )
    sent = 0
    for pk, status, enqueued_at in candidates:
        won = Run.objects.filter(pk=pk, status=status, enqueued_at=enqueued_at).update(
            enqueued_at=now
        )
        if not won:  # another sweep sent it, or a worker finished it meanwhile
            continue
        try:
            _send_again(pk)
        except BrokerUnavailable:
            Run.objects.filter(pk=pk, enqueued_at=now).update(enqueued_at=enqueued_at)
            raise
        sent += 1
    return sent, lost


def run_get(*, run_id: int, user: User) -> Run | None:
    """The run if ``user`` owns it (anyone else: None, so the API answers 404)."""
    return Run.objects.select_related("exercise").filter(pk=run_id, user=user).first()


def runs_expire(*, now: datetime | None = None) -> int:
    """Delete runs older than RUN_TTL (`manage.py expire_runs`, and cron); returns how many."""
    cutoff = (now or timezone.now()) - RUN_TTL
    deleted, _ = Run.objects.filter(created_at__lt=cutoff).delete()
    return deleted
