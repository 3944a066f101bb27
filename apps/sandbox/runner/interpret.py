"""Turn what the pool gathered about one run into a :class:`RunResult` (trusted side).

Trust comes in two kinds. The setup pipe and the zygote's report are trusted: the first is
written by the run before learner code starts (and closed), the second by the zygote, which
never runs learner code. Everything else (exit code, signal, output, the result frame) is
the learner's. So:

1. setup not reported "ready"      -> SandboxUnavailable (a broken sandbox, not a verdict);
2. the kernel OOM-killed a process of the run (cgroup count)           -> ``memory``;
3. the run's CPU time reached its budget, or the zygote's clock ran out -> ``timeout``;
4. anything else is the learner's doing: a signal or a missing, oversized or malformed
   result is ``crashed``; a raised MemoryError or OSError(ENOMEM) is the learner's error.
Output is decoded as UTF-8 and its control characters neutralised here, before anyone
stores or shows it.
"""

from __future__ import annotations

import signal
from typing import Any

from . import wire
from .exchange import SETUP_FAILED, SETUP_READY, Collected
from .limits import MIB, RESULT_BYTES, Limits
from .results import CallOutcome, LearnerError, RunResult, SandboxUnavailable, neutralise

TRUNCATION_MARKER = "\n[output truncated]"
RESULT_KEYS = frozenset({"module_error", "outcomes"})
# dlplot's records, sent only when a run drew something: plain data, checked again by whoever
# draws them (grading/sketch.py), never by anything that decides a verdict.
OPTIONAL_RESULT_KEYS = frozenset({"plots"})
# Bounds on an outcome's list of arguments changed in place (arguments.py).
MAX_MUTATED = 32
MAX_MUTATED_POSITION = 1000


def _text(data: bytes | bytearray, truncated: bool) -> str:
    text = neutralise(data.decode("utf-8", errors="replace"))
    return text + TRUNCATION_MARKER if truncated else text


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _number(report: dict[str, Any], key: str) -> float:
    value = report.get(key, 0)
    if type(value) not in (int, float):
        raise SandboxUnavailable(f"the sandbox zygote sent a malformed report ({key})")
    return float(value)


def _check_setup(collected: Collected) -> None:
    if collected.setup == SETUP_READY and not collected.report.get("stage_a_failed"):
        return
    if collected.setup.startswith(SETUP_FAILED):
        reason = collected.setup[1:].decode(errors="replace")
    else:
        reason = "the run ended before reporting its setup"
    raise SandboxUnavailable(f"isolation failed for this run: {neutralise(reason)}")


def _mutated(data: Any) -> tuple[int | str, ...]:
    """The changed arguments an outcome reports: positions or short keyword names, bounded."""
    if type(data) is not list or len(data) > MAX_MUTATED:
        raise wire.WireError("malformed changed-argument list")
    for where in data:
        if not (
            (type(where) is int and 0 <= where < MAX_MUTATED_POSITION)
            or (type(where) is str and where.isidentifier() and len(where) <= 100)
        ):
            raise wire.WireError("malformed changed-argument list")
    return tuple(data)


def _outcome(data: Any) -> CallOutcome:
    if type(data) is dict and data.get("ok") is True and data.keys() == {"ok", "value"}:
        return CallOutcome(ok=True, value=data["value"])
    if type(data) is dict and data.get("ok") is True and data.keys() == {"ok", "value", "mutated"}:
        return CallOutcome(ok=True, value=data["value"], mutated=_mutated(data["mutated"]))
    if type(data) is dict and data.get("ok") is False and data.keys() == {"ok", "error"}:
        return CallOutcome(ok=False, error=LearnerError.from_plain(data["error"]))
    raise wire.WireError("malformed outcome")


def decode_result(
    raw: bytes | bytearray,
) -> tuple[LearnerError | None, dict[str, CallOutcome], list[Any]]:
    """The result frame as (module error, outcomes, plots). Raises WireError if refused."""
    try:
        frame = wire.decode_result(raw)
    except wire.WireError:
        raise
    except Exception as exc:  # anything else a hostile frame provokes in the decoder
        raise wire.WireError(f"{type(exc).__name__}: {exc}") from None
    if (
        type(frame) is not dict
        or not RESULT_KEYS <= frame.keys() <= RESULT_KEYS | OPTIONAL_RESULT_KEYS
    ):
        raise wire.WireError("the result has unknown or missing keys")
    if type(frame["outcomes"]) is not dict:
        raise wire.WireError("the result's outcomes are not a dict")
    plots = frame.get("plots", [])
    if type(plots) is not list:
        raise wire.WireError("the result's plots are not a list")
    module_error = frame["module_error"]
    error = LearnerError.from_plain(module_error) if module_error is not None else None
    return error, {key: _outcome(value) for key, value in frame["outcomes"].items()}, plots


def _classify_by_evidence(result: RunResult, report: dict[str, Any], limits: Limits) -> bool:
    """Set a memory or timeout verdict from the supervisor's evidence; True if one applied."""
    killed_for = report.get("killed_for")
    if killed_for == "memory" or _number(report, "oom_kills") > 0:
        result.status = "memory"
        result.detail = f"used more than {limits.memory_mb} MiB of memory and was killed"
    elif killed_for == "cpu" or result.cpu_seconds >= limits.cpu_seconds:
        result.status = "timeout"
        result.detail = f"used more than {limits.cpu_seconds:.1f} s of CPU time"
    elif killed_for == "wall":
        result.status = "timeout"
        result.detail = f"stopped after {limits.wall_seconds:.1f} s of wall-clock time"
    else:
        return False
    return True


def _classify_by_result(result: RunResult, collected: Collected, signal_number: Any) -> None:
    if type(signal_number) is int:
        result.detail = f"the process was killed by signal {_signal_name(signal_number)}"
    elif collected.result_overflow:
        result.detail = f"the result was malformed (larger than {RESULT_BYTES} bytes)"
    elif not collected.result:
        result.detail = "the process exited before returning its results"
    else:
        try:
            result.module_error, result.outcomes, result.plots = decode_result(collected.result)
        except wire.WireError as exc:
            result.detail = "the result was malformed"
            result.result_refusal = neutralise(str(exc))
            return
        result.status = "error" if result.module_error is not None else "ok"


def interpret(collected: Collected, limits: Limits) -> RunResult:
    """Classify the run (see the module docstring). Raises SandboxUnavailable on a bad setup."""
    report = collected.report
    _check_setup(collected)
    peak = report.get("memory_peak_bytes")
    result = RunResult(
        status="crashed",
        stdout=_text(collected.stdout, collected.stdout_truncated),
        stderr=_text(collected.stderr, collected.stderr_truncated),
        duration_ms=_number(report, "duration_ms"),
        cpu_seconds=_number(report, "cpu_seconds"),
        memory_peak_mb=peak / MIB if type(peak) is int else None,
    )
    if not _classify_by_evidence(result, report, limits):
        _classify_by_result(result, collected, report.get("signal"))
    return result
