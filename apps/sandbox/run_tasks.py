"""The Celery task that executes a run (see runs.py). Registered through CELERY_IMPORTS."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from apps.sandbox import runs
from apps.sandbox.grading.limits import TASK_SOFT_TIME_LIMIT, TASK_TIME_LIMIT


@shared_task(
    name="sandbox.run_execute",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=TASK_SOFT_TIME_LIMIT,
    time_limit=TASK_TIME_LIMIT,
)
def run_execute_task(run_id: int) -> str | None:
    """Execute one run by id; a second delivery of a finished run does nothing."""
    try:
        run = runs.run_execute(run_id=run_id)
    except SoftTimeLimitExceeded:
        return "soft time limit"
    return run.status if run else None
