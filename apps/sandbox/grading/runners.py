"""Running *trusted* code in this process, for content authors checking their exercises.

Learner code never runs here: it runs only through the sandbox backend (apps.sandbox.backends).
"""

from __future__ import annotations

import contextlib
import io
import time
import traceback
from typing import Any

from apps.sandbox.grading.limits import MAX_OUTPUT_CHARS
from apps.sandbox.runner import CallOutcome, LearnerError, Limits, RunResult, wire

FILENAME = "submission.py"


def _error_from(exc: BaseException) -> LearnerError:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == FILENAME]
    line = frames[-1].lineno if frames else getattr(exc, "lineno", None)
    text = "".join(traceback.format_list(frames)) + f"{type(exc).__name__}: {exc}"
    return LearnerError(type=type(exc).__name__, message=str(exc), line=line, traceback=text)


def _call(namespace: dict[str, Any], call: dict[str, Any]) -> CallOutcome:
    function = namespace.get(call["func"])
    if not callable(function):
        message = f"your code defines no function named {call['func']!r}"
        return CallOutcome(ok=False, error=LearnerError("NameError", message, None, message))
    args, kwargs = wire.decode(
        wire.encode((call["args"], call["kwargs"])), build_fn=wire.FnSpec.build
    )
    try:
        value = function(*args, **kwargs)
        return CallOutcome(ok=True, value=wire.decode(wire.encode(value)))
    except MemoryError:
        raise
    except Exception as exc:
        return CallOutcome(ok=False, error=_error_from(exc))


class TrustedInProcessRunner:
    """Runs an exercise's own solution or starter in this process, like the sandbox would.

    No isolation and no limits (``limits`` is accepted and ignored): trusted code only, for
    `check_content --in-process` and the content tests' authors.
    """

    isolated = False

    def run(self, code: str, calls: list[dict[str, Any]], limits: Limits) -> RunResult:
        del limits  # nothing is enforced in-process; see the class docstring
        started = time.perf_counter()
        stdout, stderr = io.StringIO(), io.StringIO()
        run = RunResult(status="ok")
        namespace: dict[str, Any] = {"__name__": "submission"}
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                exec(compile(code, FILENAME, "exec"), namespace)  # noqa: S102 (trusted code only)
            except BaseException as exc:
                run.status, run.module_error = "error", _error_from(exc)
            if run.status == "ok":
                run.outcomes = {call["key"]: _call(namespace, call) for call in calls}
        run.stdout = stdout.getvalue()[:MAX_OUTPUT_CHARS]
        run.stderr = stderr.getvalue()[:MAX_OUTPUT_CHARS]
        run.duration_ms = (time.perf_counter() - started) * 1000
        return run
