from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from apps.sandbox import services


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
