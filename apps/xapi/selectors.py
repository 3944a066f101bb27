"""Reads of xAPI deliveries (for operators: what reached the LRS, what waits, and why)."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.xapi.models import StatementDelivery


def statement_deliveries(*, status: str | None = None) -> QuerySet[StatementDelivery]:
    rows = StatementDelivery.objects.select_related("event").order_by("-id")
    if status:
        rows = rows.filter(status=status)
    return rows
