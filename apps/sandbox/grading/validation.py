"""Proves an exercise is gradeable: the reference passes, the starter fails, figures build."""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.sandbox.grading.engine import GradableExercise, Runner, grade_code
from apps.sandbox.grading.results import GradeResult, Verdict


@dataclass
class ExerciseReport:
    slug: str
    problems: list[str] = field(default_factory=list)
    figures: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _summary(result: GradeResult) -> str:
    failed = [f"{c.name}: {c.message}" for c in result.checks if not c.passed]
    error = f" error={result.error.type}: {result.error.message}" if result.error else ""
    return f"status={result.status} score={result.score}{error} failed={failed[:3]}"


def validate_exercise(
    exercise: GradableExercise,
    *,
    solution: str,
    starter: str,
    runner: Runner,
    seeds: tuple[int, ...] = (1, 2),
) -> ExerciseReport:
    report = ExerciseReport(exercise.slug)
    for seed in seeds:
        result = grade_code(exercise, solution, runner=runner, seed=seed)
        if result.status != Verdict.PASSED or result.score != 1.0:
            report.problems.append(f"reference does not pass (seed {seed}): {_summary(result)}")
        if not result.checks:
            report.problems.append("records no checks")
        report.figures = max(report.figures, len(result.figures))
        if any(not figure.get("data") for figure in result.figures):
            report.problems.append("a figure has no traces")
    if grade_code(exercise, starter, runner=runner, seed=seeds[0]).passed:
        report.problems.append("the starter code passes every check; it must fail")
    return report
