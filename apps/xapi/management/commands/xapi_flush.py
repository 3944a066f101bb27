"""`manage.py xapi_flush`: queue every learning event not yet sent to the LRS and send it.

For cron (or after an LRS outage): the Celery tasks retry on their own, this catches what a
lost broker message or an eager-mode deployment left behind.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.xapi import services
from apps.xapi.client import lrs_configured


class Command(BaseCommand):
    help = "Send learning events not yet delivered to the LRS (DLMATH_XAPI_LRS_ENDPOINT)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--now", action="store_true", help="retry failed deliveries without waiting"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not lrs_configured():
            self.stdout.write("No LRS configured (DLMATH_XAPI_LRS_ENDPOINT): nothing to do.")
            return
        queued = 0
        while batch := services.statement_deliveries_queue():
            queued += batch
        if options["now"]:
            services.statement_deliveries_make_due()
        report = services.statements_flush(max_batches=1000)
        self.stdout.write(
            f"queued {queued}, sent {report.sent}, failed {report.failed}, "
            f"rejected {report.rejected}"
        )
