"""Grade one piece of learner code against one exercise: the same path for CLI, API and pages.

1. ``cases(rng)`` from the exercise's checks.py builds the inputs (trusted).
2. The reference solution runs here, in the trusted process, on those inputs.
3. The learner's code runs through a runner (the sandbox) on the same inputs and returns
   plain data.
4. ``grade(g)`` and ``figures(g)`` compare and draw, here again.

No Django here: the caller hands in the exercise (the curriculum's spec, which says where
its checks and solution are) and the runner.
"""

from __future__ import annotations

import importlib.util
import logging
import secrets
import time
import traceback
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from apps.sandbox.grading.grader import Call, CheckFailed, Grader, Outcome
from apps.sandbox.grading.limits import MAX_CODE_BYTES, runner_limits
from apps.sandbox.grading.results import ErrorInfo, GradeResult, Verdict, error_result
from apps.sandbox.runner import LearnerError, Limits, RunResult, wire

logger = logging.getLogger(__name__)

# What the learner is told when a run ended without results and the runner gave no detail.
UNFINISHED_MESSAGES = {
    "timeout": "your code ran past its time limit",
    "memory": "your code used more memory than allowed",
    "crashed": "your code crashed before returning its results",
}


class GradableExercise(Protocol):
    """What grading needs of an exercise (the curriculum's ExerciseSpec provides it)."""

    @property
    def slug(self) -> str: ...
    @property
    def content_hash(self) -> str: ...
    @property
    def limits(self) -> Mapping[str, float]: ...
    @property
    def review_path(self) -> str: ...
    @property
    def checks_path(self) -> Path: ...
    @property
    def solution_path(self) -> Path: ...


class Runner(Protocol):
    """Anything that can run code on calls and answer like the sandbox does."""

    def run(self, code: str, calls: list[dict[str, Any]], limits: Limits) -> RunResult: ...


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
            f"the code is {len(data):,} bytes; the limit is {MAX_CODE_BYTES:,} bytes "
            f"({MAX_CODE_BYTES // 1024} KiB)"
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


def rejected_result(exercise_slug: str, reason: str) -> GradeResult:
    return error_result(
        exercise_slug,
        Verdict.REJECTED,
        check="code accepted",
        message=reason,
        error=ErrorInfo(type="Rejected", message=reason),
    )


def new_seed() -> int:
    """A fresh draw per submission, so hidden cases can't be memorised."""
    return secrets.randbits(63)


@dataclass(frozen=True)
class ExerciseChecks:
    """The three functions of an exercise's checks.py (``figures`` is optional)."""

    cases: Callable[[np.random.Generator], list[Call]]
    grade: Callable[[Grader], None]
    figures: Callable[[Grader], None] | None


def _load_module(path: Path, name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Keyed by path and content hash: an edited exercise (a new hash) loads afresh.
@cache
def _checks_for(path: str, content_hash: str) -> ExerciseChecks:
    module = _load_module(Path(path), f"dlmath_checks_{content_hash}")
    return ExerciseChecks(
        cases=module.cases, grade=module.grade, figures=getattr(module, "figures", None)
    )


@cache
def _solution_for(path: str, content_hash: str) -> types.ModuleType:
    return _load_module(Path(path), f"dlmath_solution_{content_hash}")


def exercise_checks(exercise: GradableExercise) -> ExerciseChecks:
    return _checks_for(str(exercise.checks_path), exercise.content_hash)


def reference_outcomes(exercise: GradableExercise, calls: list[Call]) -> dict[str, Outcome]:
    """Run the reference solution here (trusted code) on the same inputs as the learner.

    Inputs and outputs go through the wire format, so the reference sees exactly the values
    the sandbox child sees and its results have the same types as the learner's.
    """
    solution = _solution_for(str(exercise.solution_path), exercise.content_hash)
    outcomes: dict[str, Outcome] = {}
    for call in calls:
        args, kwargs = wire.decode(
            wire.encode((call.args, call.kwargs)), build_fn=wire.FnSpec.build
        )
        try:
            value = getattr(solution, call.func)(*args, **kwargs)
            outcomes[call.key] = Outcome(ok=True, value=wire.decode(wire.encode(value)))
        except Exception as exc:
            logger.exception("reference solution of %s failed on %s", exercise.slug, call.key)
            outcomes[call.key] = Outcome(ok=False, error=f"{type(exc).__name__}: {exc}")
    return outcomes


def _error_info(error: LearnerError) -> ErrorInfo:
    return ErrorInfo(
        type=error.type, message=error.message, line=error.line, traceback=error.traceback
    )


def _learner_outcomes(run: RunResult) -> dict[str, Outcome]:
    outcomes = {}
    for key, outcome in run.outcomes.items():
        if outcome.ok:
            outcomes[key] = Outcome(ok=True, value=outcome.value)
            continue
        error = outcome.error or LearnerError("Error", "the call failed", None, "")
        where = f" (line {error.line})" if error.line else ""
        text = f"raised {error.type}{where}: {error.message}"
        outcomes[key] = Outcome(ok=False, error=text, line=error.line)
    return outcomes


def _unfinished_result(exercise_slug: str, run: RunResult) -> GradeResult | None:
    """The result of a run that returned nothing to check, or None if it did."""
    if run.status == "error" and run.module_error is not None:
        error = _error_info(run.module_error)
        line = f" on line {error.line}" if error.line else ""
        message = (
            f"your code stopped before any check could run: {error.type}{line}: {error.message}"
        )
        return error_result(
            exercise_slug,
            Verdict.ERROR,
            check="your code runs",
            message=message,
            error=error,
            stdout=run.stdout,
            stderr=run.stderr,
            duration_ms=round(run.duration_ms, 2),
        )
    if run.status in UNFINISHED_MESSAGES:
        detail = run.detail or UNFINISHED_MESSAGES[run.status]
        return error_result(
            exercise_slug,
            Verdict.ERROR if run.status == "crashed" else Verdict(run.status),
            check="your code finishes",
            message=detail,
            error=ErrorInfo(type=run.status, message=detail),
            stdout=run.stdout,
            stderr=run.stderr,
            duration_ms=round(run.duration_ms, 2),
        )
    return None


def _apply_checks(exercise: GradableExercise, checks: ExerciseChecks, grader: Grader) -> None:
    try:
        # Learner values can be extreme (that is what a diverging method returns): checks
        # see the resulting inf and nan and say so; numpy's warnings would only be noise.
        with np.errstate(all="ignore"):
            checks.grade(grader)
    except Exception:
        # A bug in an exercise's checks must not look like the learner's failure.
        logger.exception("checks of %s raised", exercise.slug)
        raise
    if checks.figures is None:
        return
    try:
        with np.errstate(all="ignore"):
            checks.figures(grader)
    except CheckFailed as unusable:
        # The learner's value can't be drawn (a wrong shape, say): the checks already said why.
        logger.info("figures of %s skipped: %s", exercise.slug, unusable)
    except Exception:
        # A figure that can't be drawn from an odd result is no reason to lose the verdict.
        logger.warning("figures of %s failed:\n%s", exercise.slug, traceback.format_exc())


def _checked_result(
    exercise: GradableExercise,
    checks: ExerciseChecks,
    grader: Grader,
    run: RunResult,
) -> GradeResult:
    _apply_checks(exercise, checks, grader)
    call_errors = [o.error for o in run.outcomes.values() if not o.ok and o.error is not None]
    if call_errors:
        status, error = Verdict.ERROR, _error_info(call_errors[0])
    else:
        status, error = (Verdict.PASSED if grader.all_passed else Verdict.FAILED), None
    return GradeResult(
        exercise=exercise.slug,
        status=status,
        score=grader.score,
        # Failed checks first: they are what the learner reads.
        checks=tuple(sorted(grader.records, key=lambda check: check.passed)),
        figures=tuple(grader.figures),
        stdout=run.stdout,
        stderr=run.stderr,
        duration_ms=round(run.duration_ms, 2),
        error=error,
    )


def grade_code(
    exercise: GradableExercise,
    code: str | bytes,
    *,
    runner: Runner,
    seed: int | None = None,
) -> GradeResult:
    """Grade ``code``: the same inputs for the reference and the learner, then the checks."""
    started = time.perf_counter()
    try:
        text = validate_code(code)
    except CodeRejected as rejection:
        return rejected_result(exercise.slug, str(rejection))

    checks = exercise_checks(exercise)
    rng = np.random.default_rng(new_seed() if seed is None else seed)
    calls: list[Call] = list(checks.cases(rng))
    expected = reference_outcomes(exercise, calls)
    requests = [call.as_request() for call in calls]
    run = runner.run(text, requests, runner_limits(exercise.limits))

    result = _unfinished_result(exercise.slug, run)
    if result is None:
        grader = Grader(calls, expected, _learner_outcomes(run), review_path=exercise.review_path)
        result = _checked_result(exercise, checks, grader, run)
    logger.debug("graded %s in %.1f ms", exercise.slug, (time.perf_counter() - started) * 1000)
    return result
