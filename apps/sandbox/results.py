"""A submission's result as every reader sees it: the object behind the shared result schema.

`SubmissionResult` is built from a stored submission (the API and the pages) or from a fresh
grade (the `grade` CLI); the output serializers in api/serializers.py turn it into JSON, the
one place that happens. `result_columns` is the one place a grade is written to a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from apps.sandbox.grading.limits import MAX_OUTPUT_CHARS
from apps.sandbox.grading.results import CheckResult, Diagnosis, ErrorInfo, Figure, GradeResult
from apps.sandbox.models import Submission


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
            checks=tuple(CheckResult.from_json(check) for check in submission.checks),
            figures=tuple(submission.figures),
            stdout=submission.stdout,
            stderr=submission.stderr,
            error=ErrorInfo.from_json(submission.error),
            diagnosis=Diagnosis.from_json(submission.diagnosis),
            duration_ms=submission.duration_ms,
            content_version=submission.content_version,
            created_at=submission.created_at,
            finished_at=submission.finished_at,
            code=submission.code,
        )


def result_columns(result: GradeResult) -> dict[str, Any]:
    """A grade as the Submission columns that hold it."""
    return {
        "status": str(result.status),
        "score": result.score,
        "checks": [check.as_json() for check in result.checks],
        "figures": list(result.figures),
        "stdout": result.stdout[:MAX_OUTPUT_CHARS],
        "stderr": result.stderr[:MAX_OUTPUT_CHARS],
        "error": result.error.as_json() if result.error else None,
        "diagnosis": result.diagnosis.as_json() if result.diagnosis else None,
        "duration_ms": result.duration_ms,
    }
