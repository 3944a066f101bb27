"""What runs inside the sandboxed child, after every isolation layer is in place.

Executes the learner's module as ``submission`` (file name ``submission.py``), calls the
requested functions and writes ONE wire frame to the result descriptor. Loaded only in the
zygote (top-level import by name).
"""

from __future__ import annotations

import contextlib
import linecache
import os
import random
import signal
import sys
import traceback
import types
from typing import Any

import numpy as np
import protocol
import wire

SUBMISSION_FILE = "submission.py"
MAX_MESSAGE = 2000
MAX_TRACEBACK = 8000
RESULT_CAP = 32 * 1024 * 1024


def _cpu_limit_reached(signum: int, frame: Any) -> None:
    os._exit(protocol.CPU_LIMIT_EXIT_CODE)


def install_cpu_limit_handler() -> None:
    """SIGXCPU's default action does not apply to a PID-namespace init: act on it here."""
    signal.signal(signal.SIGXCPU, _cpu_limit_reached)


def reseed() -> None:
    """Forked children share the zygote's generator state: give each one its own."""
    random.seed(os.urandom(32))
    np.random.seed(np.frombuffer(os.urandom(16), dtype=np.uint32))


def _safe_str(value: Any) -> str:
    try:
        return str(value)[:MAX_MESSAGE]
    except BaseException:  # a learner's __str__ can raise anything
        return "<unprintable>"


def describe_error(exc: BaseException) -> dict[str, Any]:
    """The exception as plain data, with the traceback trimmed to the learner's frames."""
    try:
        frames = [
            frame
            for frame in traceback.extract_tb(exc.__traceback__)
            if frame.filename == SUBMISSION_FILE
        ]
        line = frames[-1].lineno if frames else None
        if isinstance(exc, SyntaxError) and exc.filename == SUBMISSION_FILE:
            line = exc.lineno
        text = ""
        if frames:
            text = "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames))
        text += "".join(traceback.format_exception_only(type(exc), exc))
    except BaseException:
        line, text = None, ""
    return {
        "type": _safe_str(type(exc).__name__)[:100],
        "message": _safe_str(exc),
        "line": line if type(line) is int else None,
        "traceback": text[-MAX_TRACEBACK:],
    }


def _load_module(code: str) -> tuple[types.ModuleType | None, dict[str, Any] | None]:
    # Registered so tracebacks can quote the learner's lines (there is no file on disk).
    linecache.cache[SUBMISSION_FILE] = (len(code), None, code.splitlines(True), SUBMISSION_FILE)
    module = types.ModuleType("submission")
    module.__file__ = SUBMISSION_FILE
    sys.modules["submission"] = module
    try:
        compiled = compile(code, SUBMISSION_FILE, "exec", dont_inherit=True)
        exec(compiled, module.__dict__)
    except BaseException as exc:
        return None, describe_error(exc)
    return module, None


def _error_outcome(type_name: str, message: str) -> dict[str, Any]:
    return {
        "ok": False,
        "error": {"type": type_name, "message": message, "line": None, "traceback": ""},
    }


def _call(module: types.ModuleType, call: dict[str, Any]) -> Any:
    name = call.get("func")
    function = module.__dict__.get(name) if type(name) is str else None
    if not callable(function):
        return _error_outcome("NameError", f"your code defines no function named {name!r}")
    try:
        value = function(*call.get("args", ()), **call.get("kwargs", {}))
    except BaseException as exc:
        return {"ok": False, "error": describe_error(exc)}
    return {"ok": True, "value": value}


def _sendable(outcome: dict[str, Any], budget: list[int]) -> dict[str, Any]:
    """The outcome if its value can cross the wire within the budget, else an error."""
    if not outcome["ok"]:
        return outcome
    try:
        size = len(wire.encode(outcome["value"]))
    except wire.WireError as exc:
        return _error_outcome("ResultError", f"the returned value cannot be sent back: {exc}")
    except MemoryError:
        return _error_outcome("MemoryError", "out of memory while sending the returned value")
    except BaseException as exc:
        return _error_outcome("ResultError", f"the returned value cannot be sent back: {exc!r}")
    budget[0] -= size
    if budget[0] < 0:
        return _error_outcome("ResultError", "the returned values are larger than 32 MiB")
    return outcome


def _flush_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BaseException):
            stream.flush()


def run_submission(code: str, calls_frame: bytes, result_fd: int) -> None:
    """Run the learner's module and calls, write the result frame, and exit the process."""
    result: dict[str, Any] = {"module_error": None, "outcomes": {}}
    calls = wire.decode(calls_frame, build_fn=wire.FnSpec.build)
    module, result["module_error"] = _load_module(code)
    if module is not None:
        budget = [RESULT_CAP - 65536]
        for call in calls:
            key = str(call.get("key", call.get("func")))
            result["outcomes"][key] = _sendable(_call(module, call), budget)
    _flush_output()
    try:
        frame = wire.encode(result)
    except BaseException as exc:  # a learner can sabotage the encoder; say so and stop
        frame = wire.encode({"module_error": describe_error(exc), "outcomes": {}})
    view = memoryview(frame)
    while view:
        view = view[os.write(result_fd, view) :]
    os._exit(0)
