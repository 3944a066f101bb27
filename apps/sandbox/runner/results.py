"""What a run returns to the trusted side, and the error raised when isolation is impossible."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_MESSAGE = 2000
MAX_TRACEBACK = 8000


class SandboxUnavailable(RuntimeError):
    """Learner code cannot be run safely here; ``str()`` says why and how to fix it."""


@dataclass
class LearnerError:
    """An exception raised by the learner's code, described in the learner's terms."""

    type: str
    message: str
    line: int | None
    traceback: str

    @classmethod
    def from_plain(cls, data: Any) -> LearnerError:
        """Build from the child's plain dict, trusting nothing about its shape."""
        if not isinstance(data, dict):
            return cls("Error", "the sandbox sent a malformed error", None, "")
        line = data.get("line")
        return cls(
            type=str(data.get("type", "Error"))[:100],
            message=str(data.get("message", ""))[:MAX_MESSAGE],
            line=line if type(line) is int else None,
            traceback=str(data.get("traceback", ""))[:MAX_TRACEBACK],
        )


@dataclass
class CallOutcome:
    """The result of calling one learner function: a plain value or the error it raised."""

    ok: bool
    value: Any = None
    error: LearnerError | None = None


@dataclass
class RunResult:
    """Everything one sandboxed run produced.

    ``status`` is "ok" (module ran; see ``outcomes`` per call), "error" (module failed to
    load: ``module_error``), "timeout", "memory" or "crashed" (``detail`` explains).
    """

    status: str
    outcomes: dict[str, CallOutcome] = field(default_factory=dict)
    module_error: LearnerError | None = None
    stdout: str = ""
    stderr: str = ""
    duration_ms: float = 0.0
    detail: str = ""
