from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.curriculum.loader import ContentError, Curriculum, load_curriculum
from apps.curriculum.rendering import rendering_problems
from apps.curriculum.validation import lesson_problems
from apps.sandbox.backends import grading_backend
from apps.sandbox.grading.engine import Runner
from apps.sandbox.grading.runners import TrustedInProcessRunner
from apps.sandbox.grading.validation import validate_exercise


class Command(BaseCommand):
    help = (
        "Validate the curriculum on disk: every lesson, prompt and overview renders (no "
        "figure left as raw text), every exercise's reference passes, its starter fails, and "
        "its figures build. Exit 1 if anything is wrong."
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
        bad = self._check_rendering(curriculum) + self._check_lessons(curriculum)
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
            raise CommandError(f"{bad} lesson(s) or exercise(s) failed validation")

    def _check_rendering(self, curriculum: Curriculum) -> int:
        """Every page's Markdown, rendered as the sync does: a leftover placeholder fails."""
        sources = [(f"module {m.slug}", m.overview) for m in curriculum.modules]
        sources += [
            (f"lesson {m.slug}/{lesson.slug}", lesson.body)
            for m in curriculum.modules
            for lesson in m.lessons
        ]
        sources += [(f"prompt {e.slug}", e.prompt) for e in curriculum.exercises_by_slug.values()]
        bad = 0
        for label, source in sources:
            problems = rendering_problems(source)
            if problems:
                bad += 1
                self.stdout.write(self.style.ERROR(f"FAIL {label}"))
                for problem in problems:
                    self.stdout.write(f"     - {problem}")
        self.stdout.write(f"{len(sources) - bad} of {len(sources)} pages render cleanly")
        return bad

    def _check_lessons(self, curriculum: Curriculum) -> int:
        """Every lesson's figures (explorables under their caps), concept checks (each sound
        for 20 seeds) and page size (under 2 MB)."""
        lessons = [(m.slug, lesson) for m in curriculum.modules for lesson in m.lessons]
        bad = 0
        for module_slug, lesson in lessons:
            problems = lesson_problems(lesson)
            if problems:
                bad += 1
                self.stdout.write(self.style.ERROR(f"FAIL lesson {module_slug}/{lesson.slug}"))
                for problem in problems:
                    self.stdout.write(f"     - {problem}")
        self.stdout.write(
            f"{len(lessons) - bad} of {len(lessons)} lessons' figures, questions and sizes are fine"
        )
        return bad
