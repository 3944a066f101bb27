"""The two ways code reaches a grader: the sandbox (learners) and in-process (authors only)."""

from __future__ import annotations

import contextlib
import io
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from apps.sandbox.runner import wire


class SandboxRunner:
    """Learner code, always: runs in the process-wide zygote pool, fully isolated."""

    def run(self, code: str, calls: list[dict[str, Any]], limits: dict[str, float]) -> Any:
        from apps.sandbox.runner import Limits, default_pool

        return default_pool().run(
            code,
            calls,
            Limits(
                cpu_seconds=float(limits["cpu_seconds"]),
                wall_seconds=float(limits["wall_seconds"]),
                memory_mb=int(limits["memory_mb"]),
            ).clamped(),
        )


@dataclass
class _Error:
    type: str
    message: str
    line: int | None
    traceback: str


@dataclass
class _Outcome:
    ok: bool
    value: Any = None
    error: _Error | None = None


@dataclass
class _Run:
    status: str
    outcomes: dict[str, _Outcome] = field(default_factory=dict)
    module_error: _Error | None = None
    stdout: str = ""
    stderr: str = ""
    duration_ms: float = 0.0
    detail: str = ""


def _error_from(exc: BaseException, filename: str) -> _Error:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    line = frames[-1].lineno if frames else getattr(exc, "lineno", None)
    text = "".join(traceback.format_list(frames)) + f"{type(exc).__name__}: {exc}"
    return _Error(type=type(exc).__name__, message=str(exc), line=line, traceback=text)


class TrustedInProcessRunner:
    """Runs *trusted* code (an exercise's own solution or starter) in this process.

    For content authors validating their exercises; never for learner code, which only ever
    runs through SandboxRunner. No isolation and no limits: that is why it is trusted-only.
    """

    def run(self, code: str, calls: list[dict[str, Any]], limits: dict[str, float]) -> _Run:
        filename = "submission.py"
        started = time.perf_counter()
        stdout, stderr = io.StringIO(), io.StringIO()
        run = _Run(status="ok")
        namespace: dict[str, Any] = {"__name__": "submission"}
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                exec(compile(code, filename, "exec"), namespace)  # noqa: S102 (trusted code only)
            except BaseException as exc:
                run.status = "error"
                run.module_error = _error_from(exc, filename)
            if run.status == "ok":
                for call in calls:
                    run.outcomes[call["key"]] = self._call(namespace, call, filename)
        run.stdout, run.stderr = stdout.getvalue()[:65536], stderr.getvalue()[:65536]
        run.duration_ms = (time.perf_counter() - started) * 1000
        return run

    def _call(self, namespace: dict[str, Any], call: dict[str, Any], filename: str) -> _Outcome:
        function = namespace.get(call["func"])
        if not callable(function):
            message = f"your code defines no function named {call['func']!r}"
            return _Outcome(ok=False, error=_Error("NameError", message, None, message))
        args, kwargs = wire.decode(
            wire.encode((call["args"], call["kwargs"])), build_fn=wire.FnSpec.build
        )
        try:
            value = function(*args, **kwargs)
            return _Outcome(ok=True, value=wire.decode(wire.encode(value)))
        except MemoryError:
            raise
        except Exception as exc:
            return _Outcome(ok=False, error=_error_from(exc, filename))


# Exposed for the content tests' and authors' convenience.
__all__ = ["SandboxRunner", "TrustedInProcessRunner"]
