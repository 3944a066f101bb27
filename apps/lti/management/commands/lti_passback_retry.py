"""`manage.py lti_passback_retry`: bring every LTI learner's grades up to date in the LMS.

For cron, or after an LMS outage: recomputes each linked learner's passbacks from their
progress and sends every one that is pending or due for a retry. Prints what happened.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from apps.lti.models import GradePassback, PassbackStatus, PlatformAccount
from apps.lti.services import passbacks


class Command(BaseCommand):
    help = "Send LTI grade passbacks that are pending or failed (and due)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", action="store_true", help="retry failed ones without waiting")

    def handle(self, *args: Any, **options: Any) -> None:
        for user_id in PlatformAccount.objects.values_list("user_id", flat=True).distinct():
            passbacks.grade_passbacks_refresh(user_id=user_id)
        if options["now"]:
            GradePassback.objects.filter(status=PassbackStatus.FAILED).update(
                next_attempt_at=timezone.now()
            )
        outcomes: Counter[str] = Counter()
        for passback_id in passbacks.grade_passbacks_due():
            row = passbacks.grade_passback_send(passback_id=passback_id)
            outcomes[row.status if row else "skipped"] += 1
        self.stdout.write(
            ", ".join(f"{status} {count}" for status, count in sorted(outcomes.items()))
            or "nothing to send"
        )
