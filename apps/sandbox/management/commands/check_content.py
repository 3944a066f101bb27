"""`manage.py check_content`: prove the course's exercises, through the sandbox.

    check_content [SLUG ...]               every page renders; the reference passes, the starter
                                           fails, figures build
    check_content --sweep [SLUG ...]       the reference passes under 200 seeds; every mistake
                                           file fails under 20, with its declared diagnosis
    check_content --mutants [SLUG ...]     mutants of each reference: killed, survived or
                                           declared equivalent, and the kill rate

Sweeps and mutants batch their gradings through one warm pool (set DLMATH_SANDBOX_SLOTS=2 and
``--workers 2`` to keep two cores busy).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.curriculum.loader import ContentError, Curriculum, ExerciseSpec, load_curriculum
from apps.curriculum.rendering import rendering_problems
from apps.curriculum.validation import lesson_problems
from apps.sandbox.backends import grading_backend
from apps.sandbox.grading.engine import Runner
from apps.sandbox.grading.runners import TrustedInProcessRunner
from apps.sandbox.grading.sweeps import (
    MISTAKE_SEEDS,
    MUTANT_SEEDS,
    REFERENCE_SEEDS,
    MutantReport,
    mutant_reports,
    sweep,
)
from apps.sandbox.grading.validation import validate_exercise

DEFAULT_THRESHOLD = 95.0


class Command(BaseCommand):
    help = (
        "Validate the curriculum on disk: every lesson, prompt and overview renders (no "
        "figure left as raw text), every exercise's reference passes, its starter fails, and "
        "its figures build (--sweep: under many seeds, with every mistake file; --mutants: the "
        "checks kill mutants of the reference). Exit 1 if anything is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slugs", nargs="*", help="exercise slugs (default: all)")
        parser.add_argument(
            "--in-process",
            action="store_true",
            help="run the (trusted) reference and starter in this process instead of the sandbox",
        )
        parser.add_argument("--sweep", action="store_true", help="grade under many seeds")
        parser.add_argument("--mutants", action="store_true", help="grade mutants of solutions")
        parser.add_argument("--reference-seeds", type=int, default=len(REFERENCE_SEEDS))
        parser.add_argument("--mistake-seeds", type=int, default=len(MISTAKE_SEEDS))
        parser.add_argument("--seeds", type=int, nargs="+", default=list(MUTANT_SEEDS))
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_THRESHOLD,
            help="least kill rate (%%) of non-equivalent mutants, per converted exercise",
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help="apply the threshold to every exercise, not only those with feedback: v2",
        )
        parser.add_argument("--workers", type=int, default=max(2, settings.SANDBOX_SLOTS))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            curriculum = load_curriculum()
        except ContentError as exc:
            raise CommandError(str(exc)) from exc
        runner: Runner = TrustedInProcessRunner() if options["in_process"] else grading_backend()
        exercises = _selected(curriculum, options["slugs"])
        if options["mutants"]:
            self._mutants(exercises, runner, options)
        elif options["sweep"]:
            self._sweep(exercises, runner, options)
        else:
            self._validate(curriculum, exercises, runner)

    def _validate(
        self, curriculum: Curriculum, exercises: Sequence[ExerciseSpec], runner: Runner
    ) -> None:
        bad = self._check_rendering(curriculum) + self._check_lessons(curriculum)
        for spec in exercises:
            report = validate_exercise(
                spec,
                solution=spec.solution_path.read_text(encoding="utf-8"),
                starter=spec.starter,
                runner=runner,
            )
            if report.ok:
                self.stdout.write(f"ok   {spec.slug} ({report.figures} figure(s))")
            else:
                bad += 1
                self.stdout.write(self.style.ERROR(f"FAIL {spec.slug}"))
                for problem in report.problems:
                    self.stdout.write(f"     - {problem}")
        self.stdout.write(
            f"{len(exercises) - bad} ok, {bad} failing, {len(curriculum.modules)} modules"
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

    def _sweep(
        self, exercises: Sequence[ExerciseSpec], runner: Runner, options: dict[str, Any]
    ) -> None:
        started = time.perf_counter()
        report = sweep(
            exercises,
            runner=runner,
            reference_seeds=REFERENCE_SEEDS[: options["reference_seeds"]],
            mistake_seeds=MISTAKE_SEEDS[: options["mistake_seeds"]],
            workers=options["workers"],
            converted=frozenset(e.slug for e in exercises if e.feedback == "v2"),
        )
        seconds = time.perf_counter() - started
        for slug, problems in sorted(report.pending.items()):
            for problem in problems:
                self.stdout.write(f"pending conversion: {slug}: {problem}")
        for slug, problems in sorted(report.problems.items()):
            self.stdout.write(self.style.ERROR(f"FAIL {slug}"))
            for problem in problems:
                self.stdout.write(f"     - {problem}")
        self.stdout.write(
            f"{report.gradings} gradings of {len(exercises)} exercise(s) in {seconds:.0f} s "
            f"({report.gradings / max(seconds, 1e-9):.1f}/s); "
            f"{len(report.problems)} exercise(s) with problems"
        )
        if not report.ok:
            raise CommandError(f"{len(report.problems)} exercise(s) depend on luck")

    def _mutants(
        self, exercises: Sequence[ExerciseSpec], runner: Runner, options: dict[str, Any]
    ) -> None:
        started = time.perf_counter()
        reports = mutant_reports(
            exercises,
            runner=runner,
            seeds=options["seeds"],
            float64_only=frozenset(e.slug for e in exercises if e.precision == "float64"),
            workers=options["workers"],
        )
        converted = {e.slug for e in exercises if options["all"] or e.feedback == "v2"}
        failing = [r.slug for r in reports if r.slug in converted and _short_of(r, options)]
        for report in reports:
            self._write_report(report, report.slug in converted, options)
        self._write_course(reports, time.perf_counter() - started)
        if failing:
            raise CommandError(
                f"{len(failing)} converted exercise(s) below {options['threshold']:g}% of "
                f"non-equivalent mutants killed, or with stale equivalents: {', '.join(failing)}"
            )

    def _write_report(self, report: MutantReport, converted: bool, options: dict[str, Any]) -> None:
        mark = "[v2]" if converted else "    "
        line = (
            f"{report.slug:40s} {mark} {report.total:3d} mutants: {len(report.killed):3d} killed, "
            f"{len(report.survived) + len(report.flaky):3d} survived, "
            f"{len(report.equivalent):3d} equivalent; kill rate {100 * report.kill_rate:5.1f}%"
        )
        short = converted and _short_of(report, options)
        self.stdout.write(self.style.ERROR(line) if short else line)
        for kind, ids in (
            ("survived", report.survived),
            ("flaky   ", report.flaky),
            ("float32 killed (the prompt must ask for float64 and say why)", report.policy_killed),
            ("stale equivalent (no such mutant)", report.stale),
        ):
            for mutant_id in ids:
                self.stdout.write(f"      {kind}  {mutant_id}")

    def _write_course(self, reports: Sequence[MutantReport], seconds: float) -> None:
        killed = sum(len(r.killed) for r in reports)
        counted = sum(r.counted for r in reports)
        total = sum(r.total for r in reports)
        rate = 100 * killed / counted if counted else 100.0
        self.stdout.write(
            f"course: {total} mutants of {len(reports)} exercise(s), {killed} killed of "
            f"{counted} non-equivalent: kill rate {rate:.1f}% ({seconds:.0f} s)"
        )


def _short_of(report: MutantReport, options: dict[str, Any]) -> bool:
    return 100 * report.kill_rate < options["threshold"] or bool(report.stale)


def _selected(curriculum: Curriculum, slugs: Sequence[str]) -> list[ExerciseSpec]:
    slugs = list(slugs) or list(curriculum.exercises_by_slug)
    unknown = [s for s in slugs if s not in curriculum.exercises_by_slug]
    if unknown:
        raise CommandError(f"unknown exercise(s): {', '.join(unknown)}")
    return [curriculum.exercise(slug) for slug in slugs]
