"""Grade one piece of learner code against one exercise: the same path for CLI, API and pages.

1. ``cases(rng)`` from the exercise's checks.py builds the inputs (trusted).
2. The reference solution runs here, in the trusted process, on those inputs.
3. The learner's code runs in the sandbox on the same inputs and returns plain data.
4. ``grade(g)`` and ``figures(g)`` compare and draw, here again.
"""

from __future__ import annotations

import importlib.util
import logging
import secrets
import time
import traceback
import types
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from apps.curriculum.loader import ExerciseSpec
from apps.sandbox.grading.grader import Call, Grader, Outcome
from apps.sandbox.runner import wire

logger = logging.getLogger(__name__)

MAX_CODE_BYTES = 64 * 1024


class CodeRejected(ValueError):
    """The code was refused before running; the message says why."""


def validate_code(raw: bytes | str) -> str:
    """Return the code as text, or raise CodeRejected: empty, too large, not UTF-8, NUL."""
    if isinstance(raw, str):
        try:
            data = raw.encode("utf-8")
        except UnicodeEncodeError:
            raise CodeRejected("the code is not valid UTF-8 text") from None
    else:
        data = raw
    if len(data) > MAX_CODE_BYTES:
        raise CodeRejected(
            f"the code is {len(data):,} bytes; the limit is {MAX_CODE_BYTES:,} bytes (64 KiB)"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CodeRejected(
            f"the code is not valid UTF-8 text (bad byte at offset {exc.start})"
        ) from None
    if "\x00" in text:
        raise CodeRejected("the code contains a NUL byte")
    if not text.strip():
        raise CodeRejected("the code is empty")
    return text


class Runner(Protocol):
    """Anything that can run code on calls and answer like the sandbox does."""

    def run(self, code: str, calls: list[dict[str, Any]], limits: dict[str, float]) -> Any:
        """``limits``: cpu_seconds, wall_seconds, memory_mb. Returns a runner RunResult."""
        ...


@dataclass(frozen=True)
class ExerciseChecks:
    cases: Any
    grade: Any
    figures: Any


def _load_module(path: Path, name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def _checks_for(path: str, content_hash: str) -> ExerciseChecks:
    module = _load_module(Path(path), f"dlmath_checks_{content_hash}")
    return ExerciseChecks(
        cases=module.cases, grade=module.grade, figures=getattr(module, "figures", None)
    )


@cache
def _solution_for(path: str, content_hash: str) -> types.ModuleType:
    return _load_module(Path(path), f"dlmath_solution_{content_hash}")


def exercise_checks(exercise: ExerciseSpec) -> ExerciseChecks:
    return _checks_for(str(exercise.checks_path), exercise.content_hash)


def _build_fn(spec: wire.FnSpec) -> Any:
    return spec.build()


def reference_outcomes(exercise: ExerciseSpec, calls: list[Call]) -> dict[str, Outcome]:
    """Run the reference solution here (trusted code) on the same inputs as the learner.

    Inputs and outputs go through the wire format, so the reference sees exactly the values
    the sandbox child sees and its results have the same types as the learner's.
    """
    solution = _solution_for(str(exercise.solution_path), exercise.content_hash)
    outcomes: dict[str, Outcome] = {}
    for call in calls:
        args, kwargs = wire.decode(wire.encode((call.args, call.kwargs)), build_fn=_build_fn)
        try:
            value = getattr(solution, call.func)(*args, **kwargs)
            outcomes[call.key] = Outcome(ok=True, value=wire.decode(wire.encode(value)))
        except Exception as exc:
            logger.exception("reference solution of %s failed on %s", exercise.slug, call.key)
            outcomes[call.key] = Outcome(ok=False, error=f"{type(exc).__name__}: {exc}")
    return outcomes


def _learner_error_text(error: Any) -> str:
    where = f" (line {error.line})" if error.line else ""
    return f"raised {error.type}{where}: {error.message}"


def _outcomes_from_run(run: Any) -> dict[str, Outcome]:
    outcomes = {}
    for key, outcome in run.outcomes.items():
        if outcome.ok:
            outcomes[key] = Outcome(ok=True, value=outcome.value)
        else:
            outcomes[key] = Outcome(
                ok=False, error=_learner_error_text(outcome.error), line=outcome.error.line
            )
    return outcomes


def _error_dict(error: Any) -> dict[str, Any]:
    return {
        "type": error.type,
        "message": error.message,
        "line": error.line,
        "traceback": error.traceback,
    }


def new_seed() -> int:
    """A fresh draw per submission, so hidden cases can't be memorised."""
    return secrets.randbits(63)


def base_result(exercise_slug: str, status: str) -> dict[str, Any]:
    return {
        "exercise": exercise_slug,
        "status": status,
        "score": 0.0,
        "checks": [],
        "figures": [],
        "stdout": "",
        "stderr": "",
        "duration_ms": 0.0,
        "error": None,
    }


def rejected_result(exercise_slug: str, reason: str) -> dict[str, Any]:
    result = base_result(exercise_slug, "rejected")
    result["error"] = {"type": "Rejected", "message": reason, "line": None, "traceback": ""}
    result["checks"] = [{"name": "code accepted", "passed": False, "message": reason, "points": 0}]
    return result


def grade_code(
    exercise: ExerciseSpec,
    code: str | bytes,
    *,
    runner: Runner,
    seed: int | None = None,
) -> dict[str, Any]:
    """Grade ``code`` and return a result in the shared schema (without id and timestamps)."""
    started = time.perf_counter()
    try:
        text = validate_code(code)
    except CodeRejected as rejection:
        return rejected_result(exercise.slug, str(rejection))

    checks = exercise_checks(exercise)
    rng = np.random.default_rng(new_seed() if seed is None else seed)
    calls: list[Call] = list(checks.cases(rng))
    expected = reference_outcomes(exercise, calls)

    run = runner.run(text, [call.as_request() for call in calls], dict(exercise.limits))

    result = base_result(exercise.slug, "failed")
    result["stdout"] = run.stdout
    result["stderr"] = run.stderr
    result["duration_ms"] = round(run.duration_ms, 2)

    if run.status == "error" and run.module_error is not None:
        result["status"] = "error"
        result["error"] = _error_dict(run.module_error)
        result["checks"] = [
            {
                "name": "your code runs",
                "passed": False,
                "message": (
                    f"your code stopped before any check could run: {run.module_error.type}"
                    + (f" on line {run.module_error.line}" if run.module_error.line else "")
                    + f": {run.module_error.message}"
                ),
                "points": 0,
            }
        ]
        return result
    if run.status in ("timeout", "memory", "crashed"):
        result["status"] = "error" if run.status == "crashed" else run.status
        detail = (
            run.detail
            or {
                "timeout": "your code ran past its time limit",
                "memory": "your code used more memory than allowed",
                "crashed": "your code crashed before returning its results",
            }[run.status]
        )
        result["error"] = {"type": run.status, "message": detail, "line": None, "traceback": ""}
        result["checks"] = [
            {"name": "your code finishes", "passed": False, "message": detail, "points": 0}
        ]
        return result

    actual = _outcomes_from_run(run)
    grader = Grader(calls, expected, actual, review_path=exercise.review_path)
    try:
        # Learner values can be extreme (that is what a diverging method returns): checks
        # see the resulting inf and nan and say so; numpy's warnings would only be noise.
        with np.errstate(all="ignore"):
            checks.grade(grader)
    except Exception:
        # A bug in an exercise's checks must not look like the learner's failure.
        logger.exception("checks of %s raised", exercise.slug)
        raise
    if checks.figures is not None:
        try:
            with np.errstate(all="ignore"):
                checks.figures(grader)
        except Exception:
            # A figure that can't be drawn from an odd result is no reason to lose the verdict.
            logger.warning("figures of %s failed:\n%s", exercise.slug, traceback.format_exc())

    call_errors = [o for o in run.outcomes.values() if not o.ok]
    result["checks"] = sorted(
        (record.as_dict() for record in grader.records), key=lambda check: check["passed"]
    )
    result["figures"] = grader.figures
    result["score"] = grader.score
    if call_errors:
        result["status"] = "error"
        result["error"] = _error_dict(call_errors[0].error)
    else:
        result["status"] = "passed" if grader.all_passed else "failed"
    logger.debug("graded %s in %.1f ms", exercise.slug, (time.perf_counter() - started) * 1000)
    return result
