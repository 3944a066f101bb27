"""What runs inside the sandboxed run, after every isolation layer is in place.

Reads the run's request (code and calls) from its own pipe, executes the learner's module as
``submission`` (file name ``submission.py``), calls the requested functions and writes ONE
wire frame to the result pipe, then exits. Everything here shares the process with learner
code, so the trusted side believes none of it: the frame is decoded within caps and the
verdict rests on the supervisor's own evidence. Loaded in the zygote.
"""

from __future__ import annotations

import contextlib
import linecache
import os
import random
import sys
import traceback
import types
from typing import Any, NoReturn

import numpy as np

from . import arguments, dlplot, wire
from .limits import MAX_MESSAGE, MAX_REQUEST_BYTES, MAX_TRACEBACK

SUBMISSION_FILE = "submission.py"
MT_STATE_WORDS = 624  # a Mersenne Twister's state: 624 32-bit words


def reseed() -> None:
    """Forked runs share the zygote's generator state: give each one its own, from the OS.

    ``random`` seeds itself from os.urandom (624 words) when given no seed. NumPy's legacy
    global generator is handed a whole Mersenne Twister state read from os.urandom: seeding
    it with ``np.random.seed(array)`` went through several array operations, a third of a
    millisecond and ~140 copied pages of every run."""
    random.seed()
    key = np.frombuffer(os.urandom(4 * MT_STATE_WORDS), dtype=np.uint32)
    np.random.set_state(("MT19937", key, MT_STATE_WORDS, 0, 0.0))


def rehearse() -> None:
    """What every run does first, on dummy data: decode a request, compile, encode a result.

    In the zygote (its warm-up) this builds the lazy caches once for every run. In a spare
    run process (confine.spare), before its request exists, it takes the copy-on-write page
    faults that touching these objects costs a forked process, so the run does not."""
    dummy = [{"key": "z", "func": "f", "args": [np.zeros((2, 2))]}]
    code, _ = wire.decode_request(wire.encode_request("def f(z):\n    return z\n", dummy))
    compile(code, SUBMISSION_FILE, "exec", dont_inherit=True)
    encoder = wire.Encoder(wire.RESULT_CAPS)
    encoder.frame({"value": encoder.add([np.zeros(2), 1.0, "ok"])})


def _safe_str(value: object) -> str:
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


def _error(type_name: str, message: str) -> dict[str, Any]:
    return {"type": type_name, "message": message, "line": None, "traceback": ""}


def _call(module: types.ModuleType, call: dict[str, Any]) -> tuple[bool, Any, list[int | str]]:
    """(True, value, changed arguments) or (False, error dict, [])."""
    name = call.get("func")
    function = module.__dict__.get(name) if type(name) is str else None
    if not callable(function):
        return False, _error("NameError", f"your code defines no function named {name!r}"), []
    args, kwargs = call.get("args", ()), call.get("kwargs", {})
    try:
        before = arguments.snapshots(args, kwargs)
        value = function(*args, **kwargs)
    except BaseException as exc:
        return False, describe_error(exc), []
    try:  # which of the caller's arguments the function changed in place
        return True, value, arguments.changed(before, args, kwargs)
    except BaseException:  # learner code can break anything here; the value still counts
        return True, value, []


def _outcome_tree(
    encoder: wire.Encoder, ok: bool, payload: Any, mutated: list[int | str] | None = None
) -> Any:
    """The outcome's tree in the result frame; a value that cannot be sent becomes an error."""
    if ok:
        try:
            entries = [["ok", True], ["value", encoder.add(payload)]]
            if mutated:
                entries.append(["mutated", encoder.add(mutated)])
            return {"__dict__": entries}
        except wire.WireError as exc:
            payload = _error("ResultError", f"the returned value cannot be sent back: {exc}")
        except MemoryError:
            payload = _error("MemoryError", "out of memory while sending the returned value")
        except BaseException as exc:
            payload = _error("ResultError", f"the returned value cannot be sent back: {exc!r}")
    return {"__dict__": [["ok", False], ["error", encoder.add(payload)]]}


def _read_request(fd: int) -> tuple[str, list[dict[str, Any]]]:
    chunks, size = [], 0
    while chunk := os.read(fd, 1 << 20):
        size += len(chunk)
        if size > MAX_REQUEST_BYTES:
            raise wire.WireError("the request is too large")
        chunks.append(chunk)
    os.close(fd)
    return wire.decode_request(b"".join(chunks))


def _flush_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BaseException):
            stream.flush()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _plots_entry(encoder: wire.Encoder) -> list[list[Any]]:
    """The ``plots`` entry of the result (dlplot's records), or none if there are none or
    they cannot be sent. Learner code may have rewritten dlplot: anything goes in, within the
    frame's caps, and the trusted side believes none of it (grading/sketch.py)."""
    try:
        records = dlplot.take()
        if not records:
            return []
        return [["plots", encoder.add(records)]]
    except BaseException:  # a patched dlplot, or records over the caps: the plots are lost
        return []


def run_submission(request_fd: int, result_fd: int) -> NoReturn:
    """Run the learner's module and calls, write the result frame, and exit the process."""
    code, calls = _read_request(request_fd)
    module, module_error = _load_module(code)
    encoder = wire.Encoder(wire.RESULT_CAPS)
    outcomes = []
    if module is not None:
        for call in calls:
            key = str(call.get("key", call.get("func")))
            outcomes.append([key, _outcome_tree(encoder, *_call(module, call))])
    _flush_output()
    try:
        error_tree = encoder.add(module_error)
        plots = _plots_entry(encoder)
        entries = [["module_error", error_tree], ["outcomes", {"__dict__": outcomes}], *plots]
        tree = {"__dict__": entries}
        frame = encoder.frame({"value": tree})
    except BaseException as exc:  # a learner can sabotage the encoder; say so and stop
        fallback = wire.Encoder(wire.RESULT_CAPS)
        error_tree = fallback.add(describe_error(exc))
        tree = {"__dict__": [["module_error", error_tree], ["outcomes", {"__dict__": []}]]}
        frame = fallback.frame({"value": tree})
    _write_all(result_fd, frame)
    os._exit(0)
