"""A submission's result as every reader sees it: the object behind the shared result schema.

`SubmissionResult` is built from a stored submission (the API and the pages) or from a fresh
grade (the `grade` CLI); the output serializers in api/serializers.py turn it into JSON, the
one place that happens. `result_columns` is the one place a grade is written to a row.

Text from a run is neutralised where it enters the trusted side (the runner's decoder); both
ends here apply the same neutralise again to every string, so no control character, NUL or
lone surrogate is ever written (PostgreSQL refuses NUL and surrogates; no JSON renderer can
encode a surrogate), nor served from a row stored before that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from apps.sandbox.grading.limits import MAX_OUTPUT_CHARS
from apps.sandbox.grading.results import CheckResult, Diagnosis, ErrorInfo, Figure, GradeResult
from apps.sandbox.models import Submission
from apps.sandbox.runner.results import neutralise


@dataclass(frozen=True)
class SubmissionResult:
    """A graded or pending submission: its grade (so far) with its id and times."""

    exercise: str
    status: str
    score: float
    checks: tuple[CheckResult, ...]
    figures: tuple[Figure, ...]
    stdout: str
    stderr: str
    error: ErrorInfo | None
    duration_ms: float | None
    created_at: datetime
    finished_at: datetime | None
    diagnosis: Diagnosis | None = None
    id: int | None = None
    content_version: int | None = None
    code: str | None = None

    @classmethod
    def of_grade(
        cls, result: GradeResult, *, created_at: datetime, finished_at: datetime
    ) -> SubmissionResult:
        return cls(
            exercise=result.exercise,
            status=str(result.status),
            score=result.score,
            checks=result.checks,
            figures=result.figures,
            stdout=result.stdout,
            stderr=result.stderr,
            error=result.error,
            diagnosis=result.diagnosis,
            duration_ms=result.duration_ms,
            created_at=created_at,
            finished_at=finished_at,
        )

    @classmethod
    def of_submission(cls, submission: Submission) -> SubmissionResult:
        return cls(
            id=submission.pk,
            exercise=submission.exercise.slug,
            status=submission.status,
            score=submission.score,
            checks=tuple(CheckResult.from_json(storable(check)) for check in submission.checks),
            figures=tuple(submission.figures),
            stdout=neutralise(submission.stdout),
            stderr=neutralise(submission.stderr),
            error=ErrorInfo.from_json(storable(submission.error)),
            diagnosis=Diagnosis.from_json(storable(submission.diagnosis)),
            duration_ms=submission.duration_ms,
            content_version=submission.content_version,
            created_at=submission.created_at,
            finished_at=submission.finished_at,
            code=submission.code,
        )


def storable(value: Any) -> Any:
    """``value`` (JSON-shaped data) with every string, keys included, neutralised."""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, dict):
        return {storable(key): storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [storable(item) for item in value]
    return value


def result_columns(result: GradeResult) -> dict[str, Any]:
    """A grade as the Submission columns that hold it, every string storable."""
    return {
        "status": str(result.status),
        "score": result.score,
        "checks": storable([check.as_json() for check in result.checks]),
        "figures": storable(list(result.figures)),
        "stdout": neutralise(result.stdout[:MAX_OUTPUT_CHARS]),
        "stderr": neutralise(result.stderr[:MAX_OUTPUT_CHARS]),
        "error": storable(result.error.as_json()) if result.error else None,
        "diagnosis": storable(result.diagnosis.as_json()) if result.diagnosis else None,
        "duration_ms": result.duration_ms,
    }
