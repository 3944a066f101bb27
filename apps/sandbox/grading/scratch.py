"""Running code without grading: a try-it cell, or "run on my own input" on an exercise page.

The same sandbox and runner protocol as grading, and the same verdicts for what went wrong
(``error`` with the learner's line, ``timeout``, ``memory``, ``rejected``), but no cases, no
reference and no checks. What comes back is the run's output, its dlplot records drawn as
figures (grading/sketch.py) and, for an input, the value the input's last expression
returned, described and drawn here on the trusted side.

An input run sends the learner's code followed by their input, whose last expression is
wrapped as ``__dlmath_input__ = lambda: (<expression>)`` and called once the module has run:
the input is parsed here only to find that expression (parsing runs nothing, and the input is
capped at MAX_INPUT_BYTES), its lines keep their numbers, and errors are reported against the
part they happened in ("line 2 of your input"). No Django here.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from apps.sandbox.grading.engine import CodeRejected, Runner, validate_code
from apps.sandbox.grading.sketch import describe_value, figures_from_plots, value_figures
from apps.sandbox.runner import LearnerError, Limits, RunResult

MAX_INPUT_BYTES = 4096
VALUE_FUNCTION = "__dlmath_input__"
VALUE_KEY = "value"
Where = Literal["code", "input"]
TRACEBACK_LINE_RE = re.compile(r'File "submission\.py", line (\d+)')
UNFINISHED = {
    "timeout": "your code ran past its time limit",
    "memory": "your code used more memory than allowed",
    "crashed": "your code crashed before it finished",
}


class InputRejected(ValueError):
    """The input was refused before running (empty, too large, not text)."""


@dataclass(frozen=True)
class ComposedInput:
    """The code and input as one module, and where the input's lines start in it."""

    source: str
    offset: int  # lines of the learner's code before the input's first line
    has_value: bool  # the input ends with an expression, whose value is returned


@dataclass
class ScratchResult:
    """What a run without grading produced: the shape every reader of a Run sees."""

    status: str  # ok, error, timeout, memory, rejected
    stdout: str = ""
    stderr: str = ""
    error: dict[str, Any] | None = None
    value: dict[str, Any] | None = None
    figures: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duration_ms: float = 0.0


def error_dict(
    type_: str, message: str, *, line: int | None = None, traceback: str = "", where: Where = "code"
) -> dict[str, Any]:
    return {"type": type_, "message": message, "line": line, "traceback": traceback, "where": where}


def rejected(reason: str) -> ScratchResult:
    return ScratchResult(status="rejected", error=error_dict("Rejected", reason))


class InputSyntaxError(ValueError):
    """The input is not valid Python; ``line`` is the input's own line number."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def _char_offset(lines: list[str], lineno: int, col_bytes: int) -> int:
    """The character offset of (line, UTF-8 byte column) in the text split into ``lines``."""
    before = sum(len(line) for line in lines[: lineno - 1])
    return before + len(lines[lineno - 1].encode("utf-8")[:col_bytes].decode("utf-8"))


def validate_input(raw: str) -> str:
    if len(raw.encode("utf-8", errors="surrogatepass")) > MAX_INPUT_BYTES:
        raise InputRejected(f"the input is longer than {MAX_INPUT_BYTES:,} bytes")
    if "\x00" in raw:
        raise InputRejected("the input contains a NUL byte")
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        raise InputRejected("the input is not valid UTF-8 text") from None
    if not raw.strip():
        raise InputRejected("the input is empty: write a call, such as f(np.array([1.0, 2.0]))")
    return raw


def compose_input(code: str, raw_input: str) -> ComposedInput:
    """The module to run: ``code``, then the input with its last expression made callable.

    Raises InputRejected or InputSyntaxError (with the input's line).
    """
    text = validate_input(raw_input)
    try:
        tree = ast.parse(text, filename="input")
    except SyntaxError as exc:
        raise InputSyntaxError(str(exc.msg), exc.lineno) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise InputRejected(f"the input cannot be read ({type(exc).__name__})") from None
    prefix = code if code.endswith("\n") else code + "\n"
    offset = prefix.count("\n")
    last = tree.body[-1] if tree.body else None
    if not isinstance(last, ast.Expr) or last.end_lineno is None or last.end_col_offset is None:
        return ComposedInput(source=prefix + text, offset=offset, has_value=False)
    lines = text.splitlines(keepends=True)
    start = _char_offset(lines, last.lineno, last.col_offset)
    end = _char_offset(lines, last.end_lineno, last.end_col_offset)
    wrapped = f"{text[:start]}{VALUE_FUNCTION} = lambda: ({text[start:end]}\n){text[end:]}"
    return ComposedInput(source=prefix + wrapped, offset=offset, has_value=True)


def _where(line: int | None, offset: int | None) -> tuple[Where, int | None]:
    if line is None or offset is None or line <= offset:
        return "code", line
    return "input", line - offset


def _traceback(text: str, offset: int | None) -> str:
    if offset is None:
        return text

    def renumber(match: re.Match[str]) -> str:
        where, line = _where(int(match.group(1)), offset)
        return f'File "{"input" if where == "input" else "submission.py"}", line {line}'

    # The wrapper around the input's last expression is ours: blank it out of the quoted line
    # (spaces keep the carets under the learner's expression).
    wrapper = f"{VALUE_FUNCTION} = lambda: ("
    return TRACEBACK_LINE_RE.sub(renumber, text).replace(wrapper, " " * len(wrapper))


def _learner_error(error: LearnerError, offset: int | None) -> dict[str, Any]:
    where, line = _where(error.line, offset)
    return error_dict(
        error.type,
        error.message,
        line=line,
        traceback=_traceback(error.traceback, offset),
        where=where,
    )


def _result(run: RunResult, offset: int | None) -> ScratchResult:
    """The run as a ScratchResult: verdict, error, output, figures (value added by caller)."""
    sketches = figures_from_plots(run.plots)
    result = ScratchResult(
        status="ok",
        stdout=run.stdout,
        stderr=run.stderr,
        figures=sketches.figures,
        notes=sketches.notes,
        duration_ms=round(run.duration_ms, 2),
    )
    if run.status in ("timeout", "memory"):
        result.status = run.status
        result.error = error_dict(run.status, run.detail or UNFINISHED[run.status])
    elif run.status == "crashed":
        result.status = "error"
        result.error = error_dict("crashed", run.detail or UNFINISHED["crashed"])
    elif run.status == "error" and run.module_error is not None:
        result.status = "error"
        result.error = _learner_error(run.module_error, offset)
    return result


def run_code(code: str | bytes, *, runner: Runner, limits: Limits) -> ScratchResult:
    """Run a try-it cell's code: its output, errors and dlplot figures."""
    try:
        text = validate_code(code)
    except CodeRejected as rejection:
        return rejected(str(rejection))
    return _result(runner.run(text, [], limits), offset=None)


def run_input(
    code: str | bytes, raw_input: str, *, runner: Runner, limits: Limits
) -> ScratchResult:
    """Run the learner's code, then their input; describe and draw the input's value."""
    try:
        text = validate_code(code)
        composed = compose_input(text, raw_input)
    except (CodeRejected, InputRejected) as rejection:
        return rejected(str(rejection))
    except InputSyntaxError as exc:
        return ScratchResult(
            status="error",
            error=error_dict("SyntaxError", str(exc), line=exc.line, where="input"),
        )
    calls = [{"key": VALUE_KEY, "func": VALUE_FUNCTION, "args": [], "kwargs": {}}]
    run = runner.run(composed.source, calls if composed.has_value else [], limits)
    result = _result(run, composed.offset)
    outcome = run.outcomes.get(VALUE_KEY)
    if result.status != "ok" or outcome is None:
        return result
    if not outcome.ok:
        error = outcome.error or LearnerError("Error", "the call failed", None, "")
        result.status = "error"
        result.error = _learner_error(error, composed.offset)
        return result
    result.value = describe_value(outcome.value)
    result.figures = value_figures(outcome.value) + result.figures
    return result
