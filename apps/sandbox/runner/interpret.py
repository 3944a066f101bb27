"""Turn the zygote's raw report of one run into a :class:`RunResult` (trusted side)."""

from __future__ import annotations

import signal
from typing import Any

from . import protocol, wire
from .limits import Limits
from .results import CallOutcome, LearnerError, RunResult

RESULT_MAX_BYTES = 32 * 1024 * 1024
TRUNCATION_MARKER = "\n[output truncated]"


def _text(data: bytes, truncated: bool) -> str:
    text = data.decode("utf-8", errors="replace")
    return text + TRUNCATION_MARKER if truncated else text


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _is_out_of_memory(error: LearnerError) -> bool:
    return error.type == "MemoryError" or (
        error.type == "OSError" and error.message.startswith("[Errno 12]")  # ENOMEM (mmap)
    )


def _outcome(data: Any) -> CallOutcome:
    if not isinstance(data, dict):
        return CallOutcome(ok=False, error=LearnerError.from_plain(None))
    if data.get("ok") is True:
        return CallOutcome(ok=True, value=data.get("value"))
    return CallOutcome(ok=False, error=LearnerError.from_plain(data.get("error")))


def _decode_result(raw: bytes) -> tuple[LearnerError | None, dict[str, CallOutcome]] | None:
    """The decoded result frame, or None if it is malformed. Limits enforced here."""
    try:
        frame = wire.decode(raw, max_bytes=RESULT_MAX_BYTES)
    except Exception:  # WireError, or anything a hostile frame provokes in the decoder
        return None
    if not isinstance(frame, dict) or not isinstance(frame.get("outcomes"), dict):
        return None
    module_error = frame.get("module_error")
    error = LearnerError.from_plain(module_error) if module_error is not None else None
    return error, {str(key): _outcome(value) for key, value in frame["outcomes"].items()}


def interpret(reply: dict[str, Any], blobs: list[bytes], limits: Limits) -> RunResult:
    """Classify the run: killed/crashed first (from the zygote's facts), then the result."""
    raw, out, err = blobs if len(blobs) == 3 else (b"", b"", b"")
    result = RunResult(
        status="crashed",
        stdout=_text(out, bool(reply.get("stdout_truncated"))),
        stderr=_text(err, bool(reply.get("stderr_truncated"))),
        duration_ms=float(reply.get("duration_ms", 0.0)),
    )
    signal_number = reply.get("signal")
    cpu_used = float(reply.get("cpu_seconds", 0.0))
    if reply.get("wall_killed"):
        result.status = "timeout"
        result.detail = f"stopped after {limits.wall_seconds:.1f} s of wall-clock time"
        return result
    if (
        reply.get("exit_code") == protocol.CPU_LIMIT_EXIT_CODE
        or signal_number == signal.SIGXCPU
        or (signal_number == signal.SIGKILL and cpu_used >= limits.cpu_seconds - 0.05)
    ):
        result.status = "timeout"
        result.detail = f"used more than {limits.cpu_seconds:.1f} s of CPU time"
        return result
    if reply.get("oom_killed"):
        result.status = "memory"
        result.detail = f"used more than {limits.memory_mb} MiB of memory and was killed"
        return result
    if signal_number is not None:
        result.detail = f"the process was killed by signal {_signal_name(signal_number)}"
        return result
    if reply.get("result_overflow"):
        result.detail = f"the result was malformed (larger than {RESULT_MAX_BYTES} bytes)"
        return result
    if not raw:
        result.detail = "the process exited before returning its results"
        return result
    decoded = _decode_result(raw)
    if decoded is None:
        result.detail = "the result was malformed"
        return result
    result.module_error, result.outcomes = decoded
    errors = [result.module_error] + [o.error for o in result.outcomes.values()]
    if any(error is not None and _is_out_of_memory(error) for error in errors):
        result.status = "memory"
        result.detail = f"ran out of memory (the limit is {limits.memory_mb} MiB)"
    elif result.module_error is not None:
        result.status = "error"
    else:
        result.status = "ok"
    return result
