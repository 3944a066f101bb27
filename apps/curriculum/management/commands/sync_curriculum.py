from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.curriculum.loader import ContentError, load_curriculum
from apps.curriculum.services import curriculum_sync


class Command(BaseCommand):
    help = "Upsert the curriculum on disk into the database by uuid (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--verbose-changes", action="store_true", help="list every change")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            curriculum = load_curriculum()
            report = curriculum_sync(curriculum=curriculum)
        except (ContentError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"curriculum: {report.summary()}")
        if (
            options["verbose_changes"]
            or len(report.added) + len(report.changed) + len(report.retired) <= 20
        ):
            for label in report.added:
                self.stdout.write(f"  added    {label}")
            for label in report.changed:
                self.stdout.write(f"  changed  {label}")
            for label in report.retired:
                self.stdout.write(f"  retired  {label}")
        if report.regradable:
            self.stdout.write(
                f"new checks for {', '.join(report.regradable)}: "
                "`manage.py regrade --dry-run` counts the submissions graded by the old ones"
            )
