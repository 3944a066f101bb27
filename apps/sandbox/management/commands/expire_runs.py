from typing import Any

from django.core.management.base import BaseCommand

from apps.sandbox.runs import RUN_TTL, runs_expire


class Command(BaseCommand):
    help = f"Delete runs without grading (try-it cells, inputs) older than {RUN_TTL}; for cron."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{runs_expire()} run(s) deleted")
