from celery import current_app, shared_task
from celery.exceptions import SoftTimeLimitExceeded

from apps.sandbox import regrading, services


@shared_task(
    name="sandbox.submission_run",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=45,
    time_limit=60,
)
def submission_run_task(submission_id: int) -> str | None:
    """Grade one submission by id; safe to run twice (a redelivery after a worker died)."""
    try:
        submission = services.submission_run(submission_id=submission_id)
    except SoftTimeLimitExceeded:
        return "soft time limit"
    return submission.status if submission else None


@shared_task(name="sandbox.regrade_batch", acks_late=True, ignore_result=True)
def regrade_batch_task(regrade_id: int) -> None:
    """Grade one batch of a regrade and queue the next (on the regrade queue, see
    apps/sandbox/regrading). Safe to run twice: a graded row is not graded again."""
    regrading.regrade_continue(
        regrade_id=regrade_id, eager=bool(current_app.conf.task_always_eager)
    )
