"""What a run returns to the trusted side, and the error raised when isolation is impossible."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .limits import MAX_MESSAGE, MAX_TRACEBACK

# C0 and C1 controls but tab and newline, DEL, the bidirectional marks, embeddings, overrides
# and isolates: what lets text rewrite a terminal line, move the cursor, or display other than
# it reads. And lone surrogates (U+D800-U+DFFF): a str may hold them, but no UTF-8 encoder,
# JSON renderer or database accepts them, so one would make a result impossible to store or
# serve.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def neutralise(text: str) -> str:
    """``text`` with every control character and lone surrogate shown as an escape.

    ``"\\x1b[31m"`` stays readable as ``\\x1b[31m`` and is never acted on; ``"\\ud800"``
    becomes the six characters ``\\ud800``. The result always encodes as UTF-8. This is the
    one function every string from a run passes through before the trusted side keeps it:
    output, exception types, messages and tracebacks, strings and dict keys in returned
    values, and the type names of values that are not plain data.
    """
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


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
        """Build from the run's plain dict, trusting nothing about its shape."""
        if not isinstance(data, dict):
            return cls("Error", "the sandbox sent a malformed error", None, "")
        line = data.get("line")
        return cls(
            type=neutralise(str(data.get("type", "Error"))[:100]),
            message=neutralise(str(data.get("message", ""))[:MAX_MESSAGE]),
            line=line if type(line) is int else None,
            traceback=neutralise(str(data.get("traceback", ""))[-MAX_TRACEBACK:]),
        )


@dataclass
class CallOutcome:
    """The result of calling one learner function: a plain value or the error it raised."""

    ok: bool
    value: Any = None
    error: LearnerError | None = None
    # The arguments the call changed in place: positions (int) and keyword names (str).
    mutated: tuple[int | str, ...] = ()


@dataclass
class RunResult:
    """Everything one sandboxed run produced.

    ``status`` is "ok" (module ran; see ``outcomes`` per call), "error" (module failed to
    load: ``module_error``), "timeout", "memory" or "crashed" (``detail`` explains).
    ``timeout`` and ``memory`` rest only on what the supervisor measured (its clock, the
    run's CPU time, the kernel's OOM kills), never on anything the run printed, raised or
    exited with. ``cpu_seconds`` is the CPU time of every process and thread of the run;
    ``memory_peak_mb`` its peak memory (None without cgroups). ``result_refusal`` says why
    the result frame was refused when ``detail`` is "the result was malformed". ``plots``
    are the records of dlplot calls (plain data, unchecked: see grading/sketch.py).
    """

    status: str
    outcomes: dict[str, CallOutcome] = field(default_factory=dict)
    module_error: LearnerError | None = None
    stdout: str = ""
    stderr: str = ""
    duration_ms: float = 0.0
    detail: str = ""
    cpu_seconds: float = 0.0
    memory_peak_mb: float | None = None
    result_refusal: str = ""
    plots: list[Any] = field(default_factory=list)
