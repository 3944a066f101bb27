from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from apps.sandbox.requeue import submissions_requeue_stale
from apps.sandbox.runs import runs_requeue_stale


class Command(BaseCommand):
    help = (
        "Send again to the grading queue every submission still queued or running long after "
        "it was sent, and every such run (or marks it lost if it is too old to be waited for); "
        "workers do this themselves every few seconds; this is for cron or by hand."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all-queued",
            action="store_true",
            help="send every queued submission, whatever its age (the broker lost its queue)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lost_before = timezone.now() if options["all_queued"] else None
        total = 0
        # A sent row's enqueued_at moves to now, so each batch takes the next rows.
        while sent := submissions_requeue_stale(lost_before=lost_before):
            total += sent
        self.stdout.write(f"{total} submission(s) sent to the grading queue again")
        runs_sent = runs_lost = 0
        while True:
            sent, lost = runs_requeue_stale(lost_before=lost_before)
            if not sent and not lost:
                break
            runs_sent, runs_lost = runs_sent + sent, runs_lost + lost
        self.stdout.write(f"{runs_sent} run(s) sent again, {runs_lost} marked lost")
