"""`manage.py grade --exercise SLUG FILE [FILE ...]`: the web's grading path, from a shell."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from apps.curriculum.loader import ContentError, load_curriculum
from apps.sandbox.api.serializers import result_json
from apps.sandbox.backends import grading_backend
from apps.sandbox.grading.engine import grade_code
from apps.sandbox.results import SubmissionResult
from apps.sandbox.runner import SandboxUnavailable

USAGE_ERROR = 2


class Command(BaseCommand):
    help = (
        "Grade files against an exercise through the sandbox; print one JSON result per line. "
        "Exit 0 whatever the verdicts, 2 on a usage error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--exercise", help="exercise slug (see --list)")
        parser.add_argument("--list", action="store_true", help="print every exercise slug")
        parser.add_argument("--seed", type=int, default=None, help="fix the random cases")
        parser.add_argument("files", nargs="*", type=Path)

    def _fail(self, message: str) -> None:
        self.stderr.write(f"grade: {message}")
        sys.exit(USAGE_ERROR)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            curriculum = load_curriculum()
        except ContentError as exc:
            self._fail(f"the curriculum on disk is invalid: {exc}")
        if options["list"]:
            for slug in curriculum.exercises_by_slug:
                self.stdout.write(slug)
            return
        slug = options["exercise"]
        if not slug or not options["files"]:
            self._fail(
                "usage: manage.py grade --exercise SLUG FILE [FILE ...]  |  manage.py grade --list"
            )
        if slug not in curriculum.exercises_by_slug:
            self._fail(f"unknown exercise {slug!r}; `manage.py grade --list` prints the slugs")
        sources: list[bytes] = []
        for path in options["files"]:
            try:
                sources.append(path.read_bytes())
            except OSError as exc:
                self._fail(f"cannot read {path}: {exc.strerror}")
        exercise = curriculum.exercise(slug)
        runner = grading_backend()
        for source in sources:
            created_at = timezone.now()
            try:
                result = grade_code(exercise, source, runner=runner, seed=options["seed"])
            except SandboxUnavailable as exc:
                self.stderr.write(f"grade: the sandbox is unavailable: {exc}")
                sys.exit(1)
            timed = SubmissionResult.of_grade(
                result, created_at=created_at, finished_at=timezone.now()
            )
            self.stdout.write(json.dumps(result_json(timed)))
