from typing import Any

from django.core.management.base import BaseCommand

from apps.sandbox.services import submissions_fail_stuck


class Command(BaseCommand):
    help = "Mark submissions stuck in 'running' past every time limit as interrupted."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{submissions_fail_stuck()} stuck submission(s) marked interrupted")
