"""Deliver learning events to the LRS: queue each event once, send what is due, back off.

Nothing here runs inside grading: the outbox hands event ids to ``tasks.event_publish_task``
after the grade is committed. A delivery is claimed with a short lease before the HTTP call
(no transaction is held open across the network), so a worker that dies mid-send leaves the
row to be retried when the lease runs out. Sending twice is harmless: same statement id,
same bytes.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from apps.progress.models import LearningEvent
from apps.xapi.client import lrs_configured, lrs_post_statements
from apps.xapi.models import DeliveryStatus, StatementDelivery
from apps.xapi.statements import statement_for

logger = logging.getLogger(__name__)

# One POST carries at most this many statements: small enough for any LRS's body limit.
BATCH_SIZE = 50
# A claimed delivery is someone's for this long; after it, anyone may retry it.
LEASE = timedelta(seconds=60)
RETRY_BASE_SECONDS = 15
RETRY_MAX_SECONDS = 3600


def retry_delay(attempts: int) -> timedelta:
    """15 s, 30 s, 1 min ... doubling per failed attempt, at most an hour."""
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


def statement_deliveries_queue(*, event_ids: list[int] | None = None, limit: int = 500) -> int:
    """Queue a delivery for each event (all undelivered ones if ``event_ids`` is None).

    Idempotent: an event already queued is skipped. Returns how many were queued.
    """
    if not lrs_configured():
        return 0
    events = (
        LearningEvent.objects.filter(xapi_delivery__isnull=True)
        .select_related("user", "exercise__module", "lesson__module")
        .order_by("id")
    )
    if event_ids is not None:
        events = events.filter(pk__in=event_ids)
    now = timezone.now()
    rows = []
    for event in events[:limit]:
        statement_id = uuid.uuid4()
        try:
            statement = statement_for(event, statement_id=statement_id)
        except Exception:  # a bug in one statement must not hold back every other event
            logger.exception("xAPI: cannot build a statement for learning event %s", event.pk)
            continue
        rows.append(
            StatementDelivery(
                event=event,
                statement_id=statement_id,
                statement=statement,
                next_attempt_at=now,
            )
        )
    StatementDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _due() -> QuerySet[StatementDelivery]:
    return StatementDelivery.objects.filter(
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED],
        next_attempt_at__lte=timezone.now(),
    ).order_by("id")


def _claim(limit: int) -> list[StatementDelivery]:
    with transaction.atomic():
        rows = list(_due().select_for_update(skip_locked=True)[:limit])
        StatementDelivery.objects.filter(pk__in=[r.pk for r in rows]).update(
            next_attempt_at=timezone.now() + LEASE
        )
    return rows


@dataclass
class FlushReport:
    sent: int = 0
    failed: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)


def _mark_sent(rows: list[StatementDelivery]) -> None:
    now = timezone.now()
    StatementDelivery.objects.filter(pk__in=[r.pk for r in rows]).update(
        status=DeliveryStatus.SENT,
        sent_at=now,
        last_error="",
        next_attempt_at=now,
        attempts=F("attempts") + 1,
    )


def _mark_failed(row: StatementDelivery, *, detail: str, rejected: bool) -> None:
    row.attempts += 1
    row.status = DeliveryStatus.REJECTED if rejected else DeliveryStatus.FAILED
    row.last_error = detail
    row.next_attempt_at = timezone.now() + retry_delay(row.attempts)
    row.save(update_fields=["attempts", "status", "last_error", "next_attempt_at"])


def _send(rows: list[StatementDelivery], report: FlushReport) -> None:
    answer = lrs_post_statements([r.statement for r in rows])
    if answer.ok:
        _mark_sent(rows)
        report.sent += len(rows)
        return
    refused = answer.rejected or answer.conflict
    if refused and len(rows) > 1:
        # One bad statement must not hold back the batch: find it by sending one at a time.
        for row in rows:
            _send([row], report)
        return
    # A 409 means the LRS holds a *different* statement under this id (a retry of the same
    # bytes is accepted as a duplicate): visible to operators, never silently dropped.
    for row in rows:
        _mark_failed(row, detail=answer.detail, rejected=refused)
    if refused:
        report.rejected += len(rows)
    else:
        report.failed += len(rows)
    report.errors.append(answer.detail)
    logger.warning("xAPI: %s statement(s) not delivered: %s", len(rows), answer.detail[:200])


def statements_flush(*, max_batches: int = 20) -> FlushReport:
    """Send due deliveries in batches until none is due (or ``max_batches`` were sent).

    Stops at the first batch that fails for a reason other than the statements themselves
    (the LRS is down: the rest would fail the same way and wait their turn).
    """
    report = FlushReport()
    if not lrs_configured():
        return report
    for _ in range(max_batches):
        rows = _claim(BATCH_SIZE)
        if not rows:
            break
        failed_before = report.failed
        _send(rows, report)
        if report.failed > failed_before:
            break
    return report


def next_retry_at() -> datetime | None:
    """When the earliest failed delivery is due again (None if nothing waits)."""
    return (
        StatementDelivery.objects.filter(status=DeliveryStatus.FAILED)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )


def statement_delivery_retry_now(*, delivery: StatementDelivery) -> StatementDelivery:
    """An operator asks for another try now (also for a statement the LRS rejected)."""
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "next_attempt_at"])
    return delivery


def statement_deliveries_make_due() -> int:
    """Failed deliveries become due now (an operator's "retry now")."""
    return StatementDelivery.objects.filter(status=DeliveryStatus.FAILED).update(
        next_attempt_at=timezone.now()
    )
