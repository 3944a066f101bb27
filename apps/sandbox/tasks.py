from __future__ import annotations

from celery import Task, current_app, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from apps.sandbox import regrading, services
from apps.sandbox.grading.limits import TASK_SOFT_TIME_LIMIT, TASK_TIME_LIMIT


@shared_task(
    bind=True,
    name="sandbox.submission_run",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    soft_time_limit=TASK_SOFT_TIME_LIMIT,
    time_limit=TASK_TIME_LIMIT,
    # The database restarting mid-task: try again shortly rather than leave the submission
    # to the requeue sweep. Backoff 1, 2, 4 ... 30 s; past that the sweep takes over.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=1,
    retry_backoff_max=30,
    max_retries=8,
)
def submission_run_task(self: Task[[int], str | None], submission_id: int) -> str | None:
    """Grade one submission by id; safe to run twice (a redelivery after a worker died).

    Only a delivery whose earlier one ended without a verdict may take over a submission
    that is already running: one the broker hands out again (never acknowledged, so its
    worker died) or this task's own retry.
    """
    broker_redelivered = (self.request.delivery_info or {}).get("redelivered")
    redelivered = bool(broker_redelivered) or self.request.retries > 0
    try:
        submission = services.submission_run(submission_id=submission_id, redelivered=redelivered)
    except SoftTimeLimitExceeded:
        # Left running: the requeue sweep sends it again once its claim is stale.
        return "soft time limit"
    return submission.status if submission else None


@shared_task(
    name="sandbox.regrade_batch",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=TASK_SOFT_TIME_LIMIT,
    time_limit=TASK_TIME_LIMIT,
)
def regrade_batch_task(regrade_id: int) -> None:
    """Grade one batch of a regrade and queue the next (on the regrade queue, see
    apps/sandbox/regrading). Safe to run twice: a graded row is not graded again. A batch
    ends early when another grading might not fit in its time limit."""
    try:
        regrading.regrade_continue(
            regrade_id=regrade_id, eager=bool(current_app.conf.task_always_eager)
        )
    except SoftTimeLimitExceeded:
        # A batch stops before a grading that might not fit, so this is rare: the rows
        # graded so far are stored, the one cut short is still pending; carry on later.
        regrading.regrade_enqueue(regrade_id=regrade_id)
