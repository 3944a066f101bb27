"""Proves an exercise is gradeable: the reference passes, the starter fails, figures build."""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.curriculum.loader import ExerciseSpec
from apps.sandbox.grading.engine import Runner, grade_code


@dataclass
class ExerciseReport:
    slug: str
    problems: list[str] = field(default_factory=list)
    figures: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _summary(result: dict) -> str:
    failed = [f"{c['name']}: {c['message']}" for c in result["checks"] if not c["passed"]]
    error = result.get("error") or {}
    detail = f" error={error.get('type')}: {error.get('message')}" if error else ""
    return f"status={result['status']} score={result['score']}{detail} failed={failed[:3]}"


def validate_exercise(
    exercise: ExerciseSpec, *, runner: Runner, seeds: tuple[int, ...] = (1, 2)
) -> ExerciseReport:
    report = ExerciseReport(exercise.slug)
    solution = exercise.solution_path.read_text(encoding="utf-8")
    for seed in seeds:
        result = grade_code(exercise, solution, runner=runner, seed=seed)
        if result["status"] != "passed" or result["score"] != 1.0:
            report.problems.append(f"reference does not pass (seed {seed}): {_summary(result)}")
        if not result["checks"]:
            report.problems.append("records no checks")
        report.figures = max(report.figures, len(result["figures"]))
        for figure in result["figures"]:
            if not figure.get("data"):
                report.problems.append("a figure has no traces")
    starter = grade_code(exercise, exercise.starter, runner=runner, seed=seeds[0])
    if starter["status"] == "passed":
        report.problems.append("the starter code passes every check; it must fail")
    return report
