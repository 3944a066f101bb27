"""The result types: what grading returns, typed, and the one way to build an error result.

A result is plain data. `GradeResult.as_json` is its JSON form (the shared result schema
without the submission's id and timestamps); the Django side stores that form and its
output serializers read these types, so the CLI, the API and the pages show one shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

# A Plotly figure as JSON-safe data: {"data": [...], "layout": {...}} (see figures.py).
Figure = dict[str, Any]


class Verdict(StrEnum):
    """How a graded submission ended (DESIGN.md, "Verdicts")."""

    PASSED = "passed"
    FAILED = "failed"  # ran, and some check failed
    ERROR = "error"  # an exception or syntax error, with the learner's line number
    TIMEOUT = "timeout"
    MEMORY = "memory"
    REJECTED = "rejected"  # refused before running: too large, not UTF-8, empty


@dataclass(frozen=True)
class CheckResult:
    """One check the learner sees: its name, whether it passed, and a message that teaches."""

    name: str
    passed: bool
    message: str
    points: float = 1.0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CheckResult:
        return cls(
            name=str(data["name"]),
            passed=bool(data["passed"]),
            message=str(data["message"]),
            points=data.get("points", 0),
        )


@dataclass(frozen=True)
class ErrorInfo:
    """Why no verdict could come from the checks: the learner's exception, or ours."""

    type: str
    message: str
    line: int | None = None
    traceback: str = ""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ErrorInfo | None:
        if not data:
            return None
        line = data.get("line")
        return cls(
            type=str(data.get("type", "")),
            message=str(data.get("message", "")),
            line=line if isinstance(line, int) else None,
            traceback=str(data.get("traceback", "")),
        )


@dataclass(frozen=True)
class Diagnosis:
    """The known mistake a failed submission was matched to: what it is, where, and the fix.

    ``hints`` are the mistake's own hints, revealed on demand after the diagnosis.
    """

    id: str
    message: str
    fix: str
    hints: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "message": self.message, "fix": self.fix, "hints": list(self.hints)}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Diagnosis | None:
        if not data:
            return None
        hints = data.get("hints") or []
        return cls(
            id=str(data.get("id", "")),
            message=str(data.get("message", "")),
            fix=str(data.get("fix", "")),
            hints=tuple(str(hint) for hint in hints) if isinstance(hints, list) else (),
        )


@dataclass(frozen=True)
class GradeResult:
    """One graded piece of code against one exercise."""

    exercise: str
    status: Verdict
    score: float = 0.0
    checks: tuple[CheckResult, ...] = ()
    figures: tuple[Figure, ...] = field(default=(), repr=False)
    stdout: str = ""
    stderr: str = ""
    duration_ms: float = 0.0
    error: ErrorInfo | None = None
    # The declared mistake the failure matched, if any: the page leads with it.
    diagnosis: Diagnosis | None = None

    @property
    def passed(self) -> bool:
        return self.status == Verdict.PASSED

    @property
    def failed_check_names(self) -> list[str]:
        return [check.name for check in self.checks if not check.passed]

    def as_json(self) -> dict[str, Any]:
        return {
            "exercise": self.exercise,
            "status": str(self.status),
            "score": self.score,
            "checks": [check.as_json() for check in self.checks],
            "figures": list(self.figures),
            "stdout": self.stdout,
            "stderr": self.stderr,
            "duration_ms": self.duration_ms,
            "error": self.error.as_json() if self.error else None,
            "diagnosis": self.diagnosis.as_json() if self.diagnosis else None,
        }


def error_result(
    exercise: str,
    status: Verdict,
    *,
    check: str,
    message: str,
    error: ErrorInfo,
    stdout: str = "",
    stderr: str = "",
    duration_ms: float = 0.0,
) -> GradeResult:
    """A result no check could be run for: score 0, one failed check saying why, the error.

    Every such result (rejected code, code that does not load or finish, a grader that is
    unavailable, grading given up after its workers died) is built here, so they all read alike.
    """
    return GradeResult(
        exercise=exercise,
        status=status,
        checks=(CheckResult(name=check, passed=False, message=message, points=0),),
        stdout=stdout,
        stderr=stderr,
        duration_ms=duration_ms,
        error=error,
    )
