from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.curriculum.loader import ContentError, load_curriculum
from apps.sandbox.backends import grading_backend
from apps.sandbox.grading.engine import Runner
from apps.sandbox.grading.runners import TrustedInProcessRunner
from apps.sandbox.grading.validation import validate_exercise


class Command(BaseCommand):
    help = (
        "Validate the curriculum on disk: every exercise's reference passes, its starter "
        "fails, and its figures build. Exit 1 if anything is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slugs", nargs="*", help="exercise slugs (default: all)")
        parser.add_argument(
            "--in-process",
            action="store_true",
            help="run the (trusted) reference and starter in this process instead of the sandbox",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            curriculum = load_curriculum()
        except ContentError as exc:
            raise CommandError(str(exc)) from exc
        runner: Runner = TrustedInProcessRunner() if options["in_process"] else grading_backend()
        slugs = options["slugs"] or list(curriculum.exercises_by_slug)
        unknown = [s for s in slugs if s not in curriculum.exercises_by_slug]
        if unknown:
            raise CommandError(f"unknown exercise(s): {', '.join(unknown)}")
        bad = 0
        for slug in slugs:
            spec = curriculum.exercise(slug)
            report = validate_exercise(
                spec,
                solution=spec.solution_path.read_text(encoding="utf-8"),
                starter=spec.starter,
                runner=runner,
            )
            if report.ok:
                self.stdout.write(f"ok   {slug} ({report.figures} figure(s))")
            else:
                bad += 1
                self.stdout.write(self.style.ERROR(f"FAIL {slug}"))
                for problem in report.problems:
                    self.stdout.write(f"     - {problem}")
        self.stdout.write(
            f"{len(slugs) - bad} ok, {bad} failing, {len(curriculum.modules)} modules"
        )
        if bad:
            raise CommandError(f"{bad} exercise(s) failed validation")
