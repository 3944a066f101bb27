"""Grade one piece of learner code against one exercise: the same path for CLI, API and pages.

1. ``cases(rng)`` from the exercise's checks.py builds the inputs (trusted).
2. The reference solution runs here, in the trusted process, on those inputs.
3. The learner's code runs through a runner (the sandbox) on the same inputs and returns
   plain data.
4. ``grade(g)`` compares, here again. When a check fails and the exercise declares
   ``mistakes()``, the learner's values are matched against them (mistakes.py) and the
   result leads with the diagnosis; the first failing case is drawn (``failure_figures(g,
   key)`` from checks.py, or the generic yours-against-reference figure), then ``figures(g)``.

No Django here: the caller hands in the exercise (the curriculum's spec, which says where
its checks and solution are) and the runner.
"""

from __future__ import annotations

import importlib.util
import inspect
import io
import logging
import secrets
import time
import tokenize
import traceback
import types
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from apps.sandbox.grading.failures import draw_failing_case, first_failing_case
from apps.sandbox.grading.grader import Call, CheckFailed, Grader, Outcome
from apps.sandbox.grading.limits import MAX_CODE_BYTES, runner_limits
from apps.sandbox.grading.mistakes import Match, Mistake, diagnose
from apps.sandbox.grading.results import ErrorInfo, GradeResult, Verdict, error_result
from apps.sandbox.runner import LearnerError, Limits, RunResult, arguments, wire

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


class PendingRun(Protocol):
    """A run under way (a runner's ``start``, when it has one: the sandbox's has)."""

    def pump(self) -> None: ...
    def result(self) -> RunResult: ...
    def abandon(self) -> None: ...


class _RunWhenAsked:
    """A runner without ``start`` (in-process, tests): the run happens at ``result()``."""

    def __init__(self, runner: Runner, code: str, calls: list[dict[str, Any]], limits: Limits):
        self._runner, self._code, self._calls, self._limits = runner, code, calls, limits

    def pump(self) -> None:
        pass

    def result(self) -> RunResult:
        return self._runner.run(self._code, self._calls, self._limits)

    def abandon(self) -> None:
        pass


def start_run(runner: Runner, code: str, calls: list[dict[str, Any]], limits: Limits) -> PendingRun:
    """Start ``code`` on ``calls`` if the runner can run it while this process works on (the
    sandbox: the run is another process), else arrange to run it when its result is asked for."""
    start = getattr(runner, "start", None)
    if start is None:
        return _RunWhenAsked(runner, code, calls, limits)
    pending: PendingRun = start(code, calls, limits)
    return pending


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
    text = normalise_pasted_code(text)
    if not text.strip():
        raise CodeRejected("the code is empty")
    return text


NBSP = "\u00a0"


def normalise_pasted_code(text: str) -> str:
    """Code as the learner meant it when pasted from a web page or a word processor: without a
    leading byte-order mark, and with non-breaking spaces (U+00A0) outside string literals as
    plain spaces. Python reads either as a SyntaxError ("invalid non-printable character")
    at a place where the learner sees only a space. Inside a string a non-breaking space is
    kept: there it may be meant."""
    text = text.removeprefix("\ufeff")
    if NBSP not in text:
        return text
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    kept: list[tuple[int, int]] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING:
                (row, col), (end_row, end_col) = token.start, token.end
                kept.append((starts[row - 1] + col, starts[end_row - 1] + end_col))
    except (tokenize.TokenError, SyntaxError):
        pass  # broken further on: the strings found so far are kept, the rest normalised
    out = list(text)
    inside = iter(kept)
    span = next(inside, None)
    for index, char in enumerate(text):
        while span is not None and index >= span[1]:
            span = next(inside, None)
        if char == NBSP and not (span is not None and span[0] <= index < span[1]):
            out[index] = " "
    return "".join(out)


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
    """What an exercise's checks.py defines (all but ``cases`` and ``grade`` are optional)."""

    cases: Callable[[np.random.Generator], list[Call]]
    grade: Callable[[Grader], None]
    figures: Callable[[Grader], None] | None
    mistakes: tuple[Mistake, ...] = ()
    failure_figures: Callable[[Grader, str], None] | None = None


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
    declared = getattr(module, "mistakes", None)
    mistakes = tuple(declared()) if declared is not None else ()
    ids = [mistake.id for mistake in mistakes]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: mistake ids must be unique, got {ids}")
    return ExerciseChecks(
        cases=module.cases,
        grade=module.grade,
        figures=getattr(module, "figures", None),
        mistakes=mistakes,
        failure_figures=getattr(module, "failure_figures", None),
    )


@cache
def _solution_for(path: str, content_hash: str) -> types.ModuleType:
    return _load_module(Path(path), f"dlmath_solution_{content_hash}")


def exercise_checks(exercise: GradableExercise) -> ExerciseChecks:
    return _checks_for(str(exercise.checks_path), exercise.content_hash)


def trusted_outcomes(
    functions: Mapping[str, Callable[..., Any]],
    calls: Sequence[Call],
    *,
    frames: dict[str, bytes] | None = None,
    between: Callable[[], None] | None = None,
) -> dict[str, Outcome]:
    """Run trusted functions here on the calls they name (others are skipped).

    Inputs and outputs go through the wire format, so the function sees exactly the values
    the sandbox child sees (FnSpec inputs built the same way) and its results have the same
    types as the learner's. An exception becomes a failed outcome naming its type.
    ``frames`` keeps each call's encoded inputs by key, so the reference and every declared
    mistake of one grading encode them once (each still decodes its own fresh copy).
    ``between`` is called after each call (the learner's run, going on meanwhile, is pumped).
    """
    outcomes: dict[str, Outcome] = {}
    frames = {} if frames is None else frames
    for call in calls:
        function = functions.get(call.func)
        if function is None:
            continue
        frame = frames.get(call.key)
        if frame is None:
            frame = frames[call.key] = wire.encode((call.args, call.kwargs))
        args, kwargs = wire.decode(frame, build_fn=wire.FnSpec.build)
        try:
            before = arguments.snapshots(args, kwargs)
            with np.errstate(all="ignore"):
                value = function(*args, **kwargs)
            mutated = argument_names(function, arguments.changed(before, args, kwargs))
            outcomes[call.key] = Outcome(
                ok=True, value=wire.decode(wire.encode(value)), mutated=mutated
            )
        except Exception as exc:
            outcomes[call.key] = Outcome(
                ok=False, error=f"{type(exc).__name__}: {exc}", error_type=type(exc).__name__
            )
        if between is not None:
            between()
    return outcomes


def parameter_names(function: Callable[..., Any]) -> list[str]:
    """The names of ``function``'s positional parameters (empty if it has no signature)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return []
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p.name for p in parameters if p.kind in positional]


def argument_names(
    function: Callable[..., Any] | Sequence[str], where: Sequence[int | str]
) -> tuple[str, ...]:
    """Changed arguments (positions or keywords) by the names ``function`` gives them."""
    if not where:
        return ()  # the usual case: no signature to read
    names = list(function) if isinstance(function, Sequence) else parameter_names(function)
    return tuple(
        where_
        if isinstance(where_, str)
        else names[where_]
        if where_ < len(names)
        else f"argument {where_ + 1}"
        for where_ in where
    )


def reference_outcomes(
    exercise: GradableExercise,
    calls: list[Call],
    *,
    frames: dict[str, bytes] | None = None,
    between: Callable[[], None] | None = None,
) -> dict[str, Outcome]:
    """Run the reference solution here (trusted code) on the same inputs as the learner."""
    solution = _solution_for(str(exercise.solution_path), exercise.content_hash)
    names = {call.func for call in calls}
    functions = {name: getattr(solution, name) for name in names if hasattr(solution, name)}
    outcomes = trusted_outcomes(functions, calls, frames=frames, between=between)
    for key, outcome in outcomes.items():
        if not outcome.ok:
            logger.error(
                "reference solution of %s failed on %s: %s", exercise.slug, key, outcome.error
            )
    return outcomes


@cache
def _solution_parameters(path: str, content_hash: str, name: str) -> tuple[str, ...] | None:
    """``parameter_names`` of one function of a reference solution (None if it has none):
    read once per solution, not on every grading."""
    function = getattr(_solution_for(path, content_hash), name, None)
    return None if function is None else tuple(parameter_names(function))


def reference_parameters(exercise: GradableExercise, calls: Sequence[Call]) -> dict[str, list[str]]:
    """Each called function's positional parameter names, as the reference solution has them."""
    path, content_hash = str(exercise.solution_path), exercise.content_hash
    found = {
        name: _solution_parameters(path, content_hash, name) for name in {c.func for c in calls}
    }
    return {name: list(names) for name, names in found.items() if names is not None}


def _error_info(error: LearnerError) -> ErrorInfo:
    return ErrorInfo(
        type=error.type, message=error.message, line=error.line, traceback=error.traceback
    )


def _learner_outcomes(
    run: RunResult, calls: Sequence[Call] = (), names: Mapping[str, Sequence[str]] | None = None
) -> dict[str, Outcome]:
    """The run's outcomes for the grader; changed arguments named as the reference names them."""
    funcs = {call.key: call.func for call in calls}
    outcomes = {}
    for key, outcome in run.outcomes.items():
        if outcome.ok:
            params = (names or {}).get(funcs.get(key, ""), ())
            mutated = argument_names(params, outcome.mutated)
            outcomes[key] = Outcome(ok=True, value=outcome.value, mutated=mutated)
            continue
        error = outcome.error or LearnerError("Error", "the call failed", None, "")
        where = f" (line {error.line})" if error.line else ""
        text = f"raised {error.type}{where}: {error.message}"
        outcomes[key] = Outcome(ok=False, error=text, line=error.line, error_type=error.type)
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


def _draw(exercise: GradableExercise, what: str, draw: Callable[[], None]) -> None:
    try:
        with np.errstate(all="ignore"):
            draw()
    except CheckFailed as unusable:
        # The learner's value can't be drawn (a wrong shape, say): the checks already said why.
        logger.info("%s of %s skipped: %s", what, exercise.slug, unusable)
    except Exception:
        # A figure that can't be drawn from an odd result is no reason to lose the verdict.
        logger.warning("%s of %s failed:\n%s", what, exercise.slug, traceback.format_exc())


# How a grading obtains a trusted function's outcomes: by name ("reference",
# "mistake:<id>") and a way to compute them.
Remember = Callable[[str, Callable[[], dict[str, Outcome]]], dict[str, Outcome]]


def _compute(_name: str, compute: Callable[[], dict[str, Outcome]]) -> dict[str, Outcome]:
    return compute()


class OutcomeMemo:
    """The trusted outcomes of one batch of gradings, each computed once.

    A sweep grades many files of one exercise under the same seeds (every mistake file under
    seeds 1000-1019, every mutant under 11 and 12): a seed fixes the cases, so the reference
    and each declared mistake give the same outcomes every time. They are kept encoded in the
    wire format and decoded afresh for each grading, as ``trusted_outcomes`` hands them out:
    a check that changes an expected array in place cannot reach another grading. Only the
    ``shared`` (exercise slug, seed) pairs are kept: a reference's 200 seeds are each graded
    once.
    """

    def __init__(self, shared: frozenset[tuple[str, int]]) -> None:
        self._shared = shared
        self._stored: dict[tuple[str, str, int, str], dict[str, tuple[Outcome, bytes]]] = {}

    def scope(self, exercise: GradableExercise, seed: int) -> Remember:
        """``remember(name, compute)`` for one grading of ``exercise`` under ``seed``."""
        if (exercise.slug, seed) not in self._shared:
            return _compute

        def remember(name: str, compute: Callable[[], dict[str, Outcome]]) -> dict[str, Outcome]:
            key = (exercise.slug, exercise.content_hash, seed, name)
            stored = self._stored.get(key)
            if stored is None:
                outcomes = compute()
                # Two threads may compute the same key at once; either result is the same.
                self._stored[key] = {
                    call: (replace(o, value=None), wire.encode(o.value))
                    for call, o in outcomes.items()
                }
                return outcomes
            return {
                call: replace(o, value=wire.decode(frame)) for call, (o, frame) in stored.items()
            }

        return remember


def _diagnosis(
    checks: ExerciseChecks,
    grader: Grader,
    calls: list[Call],
    frames: dict[str, bytes] | None,
    remember: Remember,
) -> Match | None:
    """Match a failure against the exercise's declared mistakes (mistakes.py)."""
    if not checks.mistakes or grader.all_passed:
        return None

    def predict(mistake: Mistake) -> Callable[[], dict[str, Outcome]]:
        return lambda: trusted_outcomes(mistake.implementations(calls), calls, frames=frames)

    predictions = {
        mistake.id: remember(f"mistake:{mistake.id}", predict(mistake))
        for mistake in checks.mistakes
        if mistake.wrong is not None
    }
    return diagnose(checks.mistakes, grader, predictions)


def _figures(exercise: GradableExercise, checks: ExerciseChecks, grader: Grader) -> None:
    """The first failing case drawn first (the exercise's way or the generic one), then the rest."""
    key = None if grader.all_passed else first_failing_case(grader)
    if key is not None:
        drawn = len(grader.figures)
        if checks.failure_figures is not None:
            custom = checks.failure_figures
            _draw(exercise, "failure figures", lambda: custom(grader, key))
        if len(grader.figures) == drawn:
            _draw(exercise, "failure figure", lambda: draw_failing_case(grader, key))
    if checks.figures is not None:
        figures = checks.figures
        _draw(exercise, "figures", lambda: figures(grader))


def _checked_result(
    exercise: GradableExercise,
    checks: ExerciseChecks,
    grader: Grader,
    run: RunResult,
    *,
    figures: bool = True,
    frames: dict[str, bytes] | None = None,
    remember: Remember = _compute,
) -> GradeResult:
    _apply_checks(exercise, checks, grader)
    # Every exercise: a function may not change its caller's arguments unless the reference
    # does too (AUTHORING.md, "Arguments changed in place"). Recorded only when one was.
    if not grader.inputs_checked and grader.changed_arguments():
        grader.check_inputs_unchanged()
    match = _diagnosis(checks, grader, list(grader.calls.values()), frames, remember)
    # An exercise that declares its mistakes lets the diagnosis (or, without one, the plain
    # description of what differs) speak: a check's own hint could point elsewhere.
    grader.show_hints = not checks.mistakes
    if figures:
        _figures(exercise, checks, grader)
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
        diagnosis=match.mistake.as_diagnosis() if match else None,
    )


def grade_code(
    exercise: GradableExercise,
    code: str | bytes,
    *,
    runner: Runner,
    seed: int | None = None,
    figures: bool = True,
    memo: OutcomeMemo | None = None,
) -> GradeResult:
    """Grade ``code``: the same inputs for the reference and the learner, then the checks.

    ``figures=False`` skips drawing (sweeps that only need verdicts and diagnoses). ``memo``
    (with a ``seed``) shares the trusted outcomes with the batch's other gradings.
    """
    started = time.perf_counter()
    try:
        text = validate_code(code)
    except CodeRejected as rejection:
        return rejected_result(exercise.slug, str(rejection))

    checks = exercise_checks(exercise)
    rng = np.random.default_rng(new_seed() if seed is None else seed)
    calls: list[Call] = list(checks.cases(rng))
    frames: dict[str, bytes] = {}  # each call's inputs, encoded once
    remember = memo.scope(exercise, seed) if memo is not None and seed is not None else _compute
    requests = [call.as_request() for call in calls]
    # The learner's run starts first: the reference needs nothing of it, so it is computed
    # here while the run goes on in its own process (pumped between the reference's calls).
    pending = start_run(runner, text, requests, runner_limits(exercise.limits))
    try:
        expected = remember(
            "reference",
            lambda: reference_outcomes(exercise, calls, frames=frames, between=pending.pump),
        )
    except BaseException:
        pending.abandon()  # the run ends and its slot is free before the error goes on
        raise
    run = pending.result()

    result = _unfinished_result(exercise.slug, run)
    if result is None:
        names = reference_parameters(exercise, calls)
        learner = _learner_outcomes(run, calls, names)
        grader = Grader(
            calls, expected, learner, review_path=exercise.review_path, parameters=names
        )
        result = _checked_result(
            exercise, checks, grader, run, figures=figures, frames=frames, remember=remember
        )
    logger.debug("graded %s in %.1f ms", exercise.slug, (time.perf_counter() - started) * 1000)
    return result


@dataclass(frozen=True)
class GradeJob:
    """One grading of a batch: some code against an exercise under a fixed seed."""

    exercise: GradableExercise
    code: str | bytes
    seed: int


def grade_many(
    jobs: Sequence[GradeJob],
    *,
    runner: Runner,
    workers: int = 2,
    figures: bool = False,
) -> list[GradeResult]:
    """Grade many jobs through one warm runner, ``workers`` at a time; results in job order.

    For sweeps (a reference under 200 seeds, every mistake file under 20, every mutant): the
    runner's slots run learner code in their children while threads here build cases, run
    references and check, so a pool of two slots with two workers keeps two cores busy.
    Figures are skipped unless asked for: no verdict or diagnosis depends on them.
    """

    graded = Counter((job.exercise.slug, job.seed) for job in jobs)
    memo = OutcomeMemo(frozenset(pair for pair, count in graded.items() if count > 1))

    def one(job: GradeJob) -> GradeResult:
        return grade_code(
            job.exercise, job.code, runner=runner, seed=job.seed, figures=figures, memo=memo
        )

    if workers <= 1:
        return [one(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grade") as executor:
        return list(executor.map(one, jobs))
