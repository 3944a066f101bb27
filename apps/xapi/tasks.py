"""Celery tasks that deliver learning events to the LRS. They take ids and call services."""

from __future__ import annotations

from celery import current_app, shared_task
from django.core.cache import cache
from django.utils import timezone

from apps.xapi import services
from apps.xapi.client import lrs_configured

# One scheduled retry at a time, however many events failed meanwhile.
RETRY_SCHEDULED_KEY = "xapi:flush-scheduled"


@shared_task(name="xapi.event_publish", ignore_result=True)
def event_publish_task(event_id: int) -> None:
    """Handed every committed learning event by the progress outbox."""
    if not lrs_configured():
        return
    services.statement_deliveries_queue(event_ids=[event_id])
    services.statements_flush()
    _schedule_retry()


@shared_task(name="xapi.statements_flush", ignore_result=True)
def statements_flush_task() -> None:
    """Queue whatever was missed (a lost hand-off) and send everything due."""
    cache.delete(RETRY_SCHEDULED_KEY)
    if not lrs_configured():
        return
    services.statement_deliveries_queue()
    services.statements_flush()
    _schedule_retry()


def _schedule_retry() -> None:
    # Eager mode would run the "later" task right now, in a loop: there the next event or
    # `manage.py xapi_flush` (cron) retries instead.
    if current_app.conf.task_always_eager:
        return
    due = services.next_retry_at()
    if due is None:
        return
    countdown = max((due - timezone.now()).total_seconds(), 1.0)
    if cache.add(RETRY_SCHEDULED_KEY, 1, timeout=int(countdown) + 60):
        statements_flush_task.apply_async(countdown=countdown)
