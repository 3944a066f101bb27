"""The check library exercise authors write ``checks.py`` against.

Runs only in the trusted process. A ``checks.py`` defines::

    def cases(rng: np.random.Generator) -> list[Call]     # inputs; a new draw per submission
    def grade(g: Grader) -> None                          # record checks with g.check_* / g.custom
    def figures(g: Grader) -> None                        # optional: g.figure({...})
    def mistakes() -> list[Mistake]                       # optional: known mistakes (mistakes.py)
    def failure_figures(g: Grader, key: str) -> None      # optional: draw a failing case yourself

Every value a check looks at came back from the sandbox as plain data; the expected values
come from the reference solution, run here. A check never trusts a learner's object: there
are none, only arrays, numbers and short strings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from apps.sandbox.grading.differences import (
    describe_difference,
    describe_shape,
    format_error,
    format_number,
    format_pair,
)
from apps.sandbox.grading.figures import figure_to_dict
from apps.sandbox.grading.results import CheckResult, Figure
from apps.sandbox.runner.wire import FnSpec, Unsupported

# The tolerance policy (content/NOTATION.md, "Tolerances"): relative 1e-5, and an absolute
# floor of 1e-6 times the largest reference value in the case (at least 1e-8), so a result
# computed correctly in float32 on a well-conditioned problem passes. Tighter only where the
# prompt asks for float64 and says why; looser where the problem's conditioning demands it.
DEFAULT_RTOL = 1e-5
DEFAULT_ATOL_SCALE = 1e-6
MIN_ATOL = 1e-8
FLOAT32_ROUNDOFF = 2.0**-24  # float32's unit roundoff, about 6e-8

# Where the reference is real, a learner's complex value is compared in the reals when its
# imaginary parts are rounding noise (ifft of a real signal, eig of a matrix with real
# eigenvalues): at most this fraction of the value's largest real magnitude, plus
# NEGLIGIBLE_IMAG_FLOOR. That is below every check's tolerance, so dropping them cannot turn a
# wrong answer into a right one. Larger imaginary parts fail with a message saying so.
NEGLIGIBLE_IMAG = 1e-6
NEGLIGIBLE_IMAG_FLOOR = 1e-12


@dataclass(frozen=True)
class Call:
    """One call of a learner's function: ``func(*args, **kwargs)``, remembered as ``key``."""

    key: str
    func: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    # How to describe the input in a message ("logits of 1000"); defaults to the key.
    label: str = ""

    def as_request(self) -> dict[str, Any]:
        return {"key": self.key, "func": self.func, "args": list(self.args), "kwargs": self.kwargs}

    @property
    def description(self) -> str:
        return self.label or self.key


class CheckFailed(Exception):
    """Raised inside a check (or by a Grader accessor) with the message the learner sees."""


@dataclass
class Outcome:
    """What one call produced: a value, or an error described for the learner."""

    ok: bool
    value: Any = None
    error: str = ""
    line: int | None = None
    # The exception's type name ("OverflowError"), so two failures can be compared.
    error_type: str = ""
    # The arguments the call changed in place, by parameter name (the sandbox compares each
    # array, list and dict argument with a snapshot taken before the call).
    mutated: tuple[str, ...] = ()


@dataclass
class CheckRecord:
    """A check as recorded, before its message is finalised for the learner.

    ``keys`` are the cases the check read (in order), so a failure can be traced to the cases
    it failed on; ``hint`` is the author's advice, shown only while the exercise declares no
    mistakes (a declared mistake's diagnosis replaces every per-check guess).
    """

    name: str
    passed: bool
    message: str
    points: float
    hint: str = ""
    keys: tuple[str, ...] = ()


def _describe_type(value: Any) -> str:
    if isinstance(value, Unsupported):
        return f"an object of type {value.type_name}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {tuple(value.shape)} and dtype {value.dtype}"
    if value is None:
        return "None (did you forget a return statement?)"
    return f"a {type(value).__name__}"


def _fmt(x: Any) -> str:
    """A short, readable rendering of a number or small array for a message."""
    array = np.asarray(x)
    if array.ndim == 0:
        return format_number(float(array)) if array.dtype.kind == "f" else str(array.item())
    with np.printoptions(precision=4, suppress=True, threshold=8, edgeitems=2, linewidth=80):
        return np.array2string(array, separator=", ")


def _real_part(array: np.ndarray, name: str) -> np.ndarray:
    """The real part of a complex ``array`` whose imaginary parts are rounding noise, or
    CheckFailed saying where the first one that is not is (NaN and inf are not noise)."""
    real, imag = np.abs(array.real), np.abs(array.imag)
    finite = real[np.isfinite(real)]
    scale = float(finite.max()) if finite.size else 0.0
    noise = imag <= NEGLIGIBLE_IMAG * scale + NEGLIGIBLE_IMAG_FLOOR
    if np.all(noise):
        return array.real.copy()
    where = ""
    if array.ndim:
        index = tuple(int(i) for i in np.argwhere(~noise)[0])
        where = f" at index {index}"
    else:
        index = ()
    raise CheckFailed(
        f"{name} should return real numbers, but returned complex numbers: the imaginary part"
        f"{where} is {_fmt(array.imag[index])}. The correct result is real; take .real only "
        "where the imaginary parts are rounding noise"
    )


class Grader:
    """Holds a run's calls, the reference's and the learner's outcomes, and the checks made."""

    def __init__(
        self,
        calls: Sequence[Call],
        expected: dict[str, Outcome],
        actual: dict[str, Outcome],
        *,
        review_path: str = "",
        parameters: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.calls = {call.key: call for call in calls}
        # Each function's positional parameter names (the reference's), to find an argument.
        self.parameters = dict(parameters or {})
        # Whether check_inputs_unchanged ran (else the engine runs it when an input changed).
        self.inputs_checked = False
        self._expected = expected
        self._actual = actual
        self.review_path = review_path
        self.checks: list[CheckRecord] = []
        self.figures: list[Figure] = []
        # Whether failed checks carry their author's hint (the engine turns this off for an
        # exercise that declares mistakes: its diagnosis speaks instead).
        self.show_hints = True
        self._reading: list[str] | None = None

    def _read(self, key: str) -> None:
        if self._reading is not None and key not in self._reading:
            self._reading.append(key)

    # --- reading values ------------------------------------------------------------------
    def call(self, key: str) -> Call:
        return self.calls[key]

    def args(self, key: str) -> tuple[Any, ...]:
        """The inputs the learner's function was called with (FnSpecs stay specs)."""
        return self.calls[key].args

    def arg(self, key: str, index: int = 0) -> Any:
        return self.calls[key].args[index]

    def expected(self, key: str, part: int | None = None) -> Any:
        self._read(key)
        outcome = self._expected[key]
        if not outcome.ok:
            raise RuntimeError(f"the reference solution failed on case {key!r}: {outcome.error}")
        value = outcome.value
        return value[part] if part is not None else value

    def outcome(self, key: str) -> Outcome:
        self._read(key)
        return self._actual.get(key) or Outcome(ok=False, error="the call never returned")

    def expected_outcome(self, key: str) -> Outcome:
        """The reference's outcome of a case (for the engine and mistake predicates)."""
        return self._expected[key]

    def output(self, key: str, part: int | None = None) -> Any:
        """The learner's return value, or CheckFailed saying why there is none."""
        outcome = self.outcome(key)
        call = self.calls[key]
        if not outcome.ok:
            raise CheckFailed(f"{call.func}() on {call.description}: {outcome.error}")
        value = outcome.value
        if part is not None:
            if not isinstance(value, tuple | list) or len(value) <= part:
                raise CheckFailed(
                    f"{call.func}() should return a tuple with at least {part + 1} items, "
                    f"but returned {_describe_type(value)}"
                )
            value = value[part]
        return value

    def array(
        self,
        key: str,
        part: int | None = None,
        *,
        shape: tuple[int, ...] | None = None,
        what: str = "",
    ) -> np.ndarray:
        """The learner's value as a float array, checked against a shape.

        ``shape`` defaults to the shape of the reference's value. A complex value stays
        complex only where the reference is complex: against a real reference it is compared
        in the reals, its imaginary parts dropped if they are rounding noise (see
        NEGLIGIBLE_IMAG), and otherwise it fails saying the result should be real. A check
        that requires a real dtype as such reads ``output()``.
        """
        value = self.output(key, part)
        call = self.calls[key]
        name = what or f"{call.func}() on {call.description}"
        if isinstance(value, Unsupported) or value is None or isinstance(value, str | dict):
            raise CheckFailed(f"{name} should return numbers, but returned {_describe_type(value)}")
        try:
            array = np.asarray(value)
        except (ValueError, TypeError):
            raise CheckFailed(f"{name} returned a ragged sequence that is not an array") from None
        if array.dtype.kind not in "biufc":
            raise CheckFailed(f"{name} should return numbers, but returned {_describe_type(value)}")
        if array.dtype.kind == "c" and not self._reference_is_complex(key, part):
            array = _real_part(array, name)
        if array.dtype.kind != "c":
            array = array.astype(np.float64)
        if shape is None:
            expected = np.asarray(self.expected(key, part))
            shape = tuple(expected.shape)
        if tuple(array.shape) != tuple(shape):
            reference = self._reference_array(key, part)
            how = describe_shape(tuple(array.shape), tuple(shape), array, reference)
            raise CheckFailed(
                f"{name} should return shape {tuple(shape)}, "
                f"but returned shape {tuple(array.shape)}" + (f": {how}" if how else "")
            )
        return array

    def _reference_array(self, key: str, part: int | None) -> np.ndarray | None:
        outcome = self._expected.get(key)
        if outcome is None or not outcome.ok:
            return None
        value = outcome.value
        if part is not None:
            if not isinstance(value, tuple | list) or len(value) <= part:
                return None
            value = value[part]
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            return None
        return array

    def _reference_is_complex(self, key: str, part: int | None) -> bool:
        """Whether the reference's value is complex (unknown references count as complex,
        so a learner's complex value is then left as it is)."""
        outcome = self._expected.get(key)
        if outcome is None or not outcome.ok:
            return True
        value = outcome.value
        if part is not None:
            if not isinstance(value, tuple | list) or len(value) <= part:
                return True
            value = value[part]
        try:
            return bool(np.iscomplexobj(np.asarray(value)))
        except (TypeError, ValueError):
            return True

    def scalar(self, key: str, part: int | None = None) -> float:
        array = self.array(key, part, shape=())
        return float(array.real if np.iscomplexobj(array) else array)

    def try_array(self, key: str, part: int | None = None, **kwargs: Any) -> np.ndarray | None:
        """The learner's array, or None when there is none to draw (for figures)."""
        try:
            return self.array(key, part, **kwargs)
        except CheckFailed:
            return None

    def mutated_args(self, key: str) -> tuple[str, ...]:
        """The arguments the learner's call changed in place and the reference's did not."""
        self._read(key)
        return self.changed_arguments().get(key, ())

    def changed_arguments(self) -> dict[str, tuple[str, ...]]:
        """By case, the arguments the learner changed in place that the reference leaves."""
        changed = {}
        for key in self.calls:
            outcome = self._actual.get(key)
            expected = self._expected.get(key)
            if outcome is not None and outcome.ok and outcome.mutated:
                allowed = set(expected.mutated) if expected is not None else set()
                names = tuple(name for name in outcome.mutated if name not in allowed)
                if names:
                    changed[key] = names
        return changed

    def _argument_value(self, key: str, name: str) -> Any:
        call = self.calls[key]
        if name in call.kwargs:
            return call.kwargs[name]
        params = list(self.parameters.get(call.func, ()))
        if name in params and params.index(name) < len(call.args):
            return call.args[params.index(name)]
        return None

    def check_inputs_unchanged(
        self, name: str = "leaves its arguments unchanged", *, points: float = 1
    ) -> bool:
        """Fail if the learner's function changed an argument in place on any case.

        An argument the reference solution itself changes is the exercise's contract (an
        in-place update asked for) and is not held against the learner.
        """
        self.inputs_checked = True

        def run() -> str | None:
            for key, names in self.changed_arguments().items():
                self._read(key)
                call = self.calls[key]
                arg = names[0]
                value = self._argument_value(key, arg)
                if isinstance(value, list):
                    what, copy = "list", f"{arg} = list({arg})"
                elif isinstance(value, dict):
                    what, copy = "dict", f"{arg} = dict({arg})"
                else:
                    what, copy = "array", f"x = {arg}.astype(float) or {arg}.copy()"
                others = f" (and {', '.join(names[1:])})" if len(names) > 1 else ""
                return (
                    f"your function changed its argument {arg}{others} in place "
                    f"({call.func}() on {call.description}); the caller's {what} must be "
                    f"left as it was: work on a copy, e.g. {copy}"
                )
            return None

        return self.custom(name, run, points=points)

    # --- recording checks ----------------------------------------------------------------
    def custom(
        self,
        name: str,
        check: Callable[[], str | bool | None],
        *,
        points: float = 1,
        hint: str = "",
        success: str = "",
    ) -> bool:
        """Run ``check``: it returns None/True to pass, or a message (or False) to fail.

        It may also raise CheckFailed(message). Any other exception fails the check with a
        neutral message, since it almost always means the learner's value was unusable.
        """
        self._reading = []
        try:
            verdict = check()
        except CheckFailed as failure:
            verdict = str(failure)
        except (ValueError, TypeError, IndexError, ArithmeticError, FloatingPointError) as exc:
            verdict = f"your result could not be checked ({type(exc).__name__}: {exc})"
        finally:
            keys, self._reading = tuple(self._reading), None
        passed = verdict is None or verdict is True
        if passed:
            message = success or "correct"
        else:
            message = verdict if isinstance(verdict, str) else f"{name}: not satisfied"
        self.checks.append(CheckRecord(name, passed, message, points, hint=hint, keys=keys))
        return passed

    def check(self, name: str, passed: bool, message: str, *, points: float = 1) -> bool:
        """Record a check decided by the caller; ``message`` is shown when it fails."""
        return self.custom(name, lambda: None if passed else message, points=points)

    def check_close(
        self,
        name: str,
        key: str,
        part: int | None = None,
        *,
        rtol: float | None = None,
        atol: float | None = None,
        points: float = 1,
        hint: str = "",
        expected: Any = None,
    ) -> bool:
        """The learner's value has the reference's shape, is finite where it is, and is close.

        ``rtol`` and ``atol`` default to the tolerance policy (``tolerance()``): pass them
        only when the problem's conditioning asks for something else, and say why.
        """
        return self.custom(
            name,
            lambda: self._not_close(key, part, rtol=rtol, atol=atol, expected=expected),
            points=points,
            hint=hint,
        )

    def check_close_all(
        self,
        name: str,
        keys: Sequence[str],
        part: int | None = None,
        *,
        rtol: float | None = None,
        atol: float | None = None,
        points: float = 1,
        hint: str = "",
    ) -> bool:
        """``check_close`` on every case of ``keys`` as one check (a set of scalar cases, say).

        The message is the first failing case's.
        """

        def run() -> str | None:
            for key in keys:
                message = self._not_close(key, part, rtol=rtol, atol=atol, expected=None)
                if message:
                    return message
            return None

        return self.custom(name, run, points=points, hint=hint)

    def _not_close(
        self,
        key: str,
        part: int | None,
        *,
        rtol: float | None,
        atol: float | None,
        expected: Any,
    ) -> str | None:
        reference = np.asarray(self.expected(key, part) if expected is None else expected)
        got = self.array(key, part, shape=tuple(reference.shape))
        call = self.calls[key]
        where = f"on {call.description}"
        bad = ~np.isfinite(got) & np.isfinite(reference)
        if bad.any():
            index = tuple(int(i) for i in np.argwhere(bad)[0]) if got.ndim else ()
            what = "NaN" if np.isnan(got[index]) else "an infinity"
            count = int(bad.sum())
            more = f" ({count} such entries)" if count > 1 else ""
            at = f" at index {index}" if got.ndim else ""
            return (
                f"{call.func}() returned {what}{at} {where}{more}; "
                f"the correct value there is {_fmt(reference[index])}"
            )
        r, a = tolerance(reference, rtol=rtol, atol=atol)
        if np.allclose(got, reference, rtol=r, atol=a, equal_nan=True):
            return None
        how = describe_difference(got, reference)
        return _off_by(call, where, got, reference) + (f"; {how}" if how else "")

    def check_shape(
        self,
        name: str,
        key: str,
        part: int | None = None,
        *,
        shape: tuple[int, ...] | None = None,
        points: float = 1,
    ) -> bool:
        """The learner returned numbers of ``shape`` (default: the reference's shape)."""

        def run() -> None:
            self.array(key, part, shape=shape)  # raises CheckFailed naming both shapes

        return self.custom(name, run, points=points)

    def check_finite(
        self, name: str, key: str, part: int | None = None, *, points: float = 1, hint: str = ""
    ) -> bool:
        def run() -> str | None:
            got = self.array(key, part)
            if not np.all(np.isfinite(got)):
                call = self.calls[key]
                count = int(np.sum(~np.isfinite(got)))
                return (
                    f"{call.func}() on {call.description} returned {count} NaN or infinite value(s)"
                )
            return None

        return self.custom(name, run, points=points, hint=hint)

    def check_sums_to_one(
        self, name: str, key: str, part: int | None = None, *, axis: int = -1, points: float = 1
    ) -> bool:
        def run() -> str | None:
            got = self.array(key, part)
            if np.any(got < -1e-12):
                return f"probabilities must be non-negative, but the smallest is {_fmt(got.min())}"
            sums = got.sum(axis=axis)
            if not np.allclose(sums, 1.0, atol=1e-6):
                worst = np.asarray(sums).flat[int(np.argmax(np.abs(np.asarray(sums) - 1.0)))]
                return (
                    f"the values along axis {axis} should sum to 1, but one sums to {_fmt(worst)}"
                )
            return None

        return self.custom(name, run, points=points)

    def check_orthonormal(
        self, name: str, key: str, part: int | None = None, *, points: float = 1, atol: float = 1e-6
    ) -> bool:
        """Columns of a matrix (or a single vector) have unit length and are orthogonal."""

        def run() -> str | None:
            got = self.array(key, part)
            matrix = got.reshape(-1, 1) if got.ndim == 1 else got
            gram = matrix.T @ matrix
            norms = np.sqrt(np.abs(np.diag(gram)))
            if not np.allclose(norms, 1.0, atol=atol):
                return f"vectors should have length 1, but have lengths {_fmt(norms)}"
            off = gram - np.diag(np.diag(gram))
            if not np.allclose(off, 0.0, atol=atol):
                largest = _fmt(np.abs(off).max())
                return f"columns should be orthogonal, but the largest dot product is {largest}"
            return None

        return self.custom(name, run, points=points)

    def check_symmetric(
        self, name: str, key: str, part: int | None = None, *, points: float = 1, atol: float = 1e-8
    ) -> bool:
        def run() -> str | None:
            got = self.array(key, part)
            if got.ndim != 2 or got.shape[0] != got.shape[1]:
                return f"expected a square matrix, got shape {tuple(got.shape)}"
            gap = np.abs(got - got.T).max()
            if gap > atol:
                return f"the matrix should equal its transpose, but differs by up to {_fmt(gap)}"
            return None

        return self.custom(name, run, points=points)

    def check_gradient(
        self,
        name: str,
        key: str,
        f: Callable[[np.ndarray], float],
        x: np.ndarray,
        part: int | None = None,
        *,
        eps: float = 1e-6,
        rtol: float = 1e-4,
        atol: float = 1e-6,
        points: float = 1,
        hint: str = "",
    ) -> bool:
        """The learner's gradient of ``f`` at ``x`` matches central finite differences."""

        def run() -> str | None:
            x0 = np.asarray(x, dtype=np.float64)
            numeric = np.zeros_like(x0)
            for index in np.ndindex(x0.shape):
                step = np.zeros_like(x0)
                step[index] = eps
                numeric[index] = (f(x0 + step) - f(x0 - step)) / (2 * eps)
            got = self.array(key, part, shape=tuple(x0.shape))
            if not np.allclose(got, numeric, rtol=rtol, atol=atol):
                error = np.abs(got - numeric)
                index = tuple(int(i) for i in np.unravel_index(int(np.argmax(error)), error.shape))
                numeric_text, got_text = format_pair(float(numeric[index]), float(got[index]))
                how = describe_difference(got, numeric)
                return (
                    f"the gradient disagrees with finite differences at index {index}: "
                    f"finite differences give {numeric_text}, yours is {got_text}"
                ) + (f"; {how}" if how else "")
            return None

        return self.custom(name, run, points=points, hint=hint)

    # --- figures -------------------------------------------------------------------------
    def figure(self, figure: Any) -> None:
        """Add a Plotly figure (a go.Figure or its dict). Authors' labels only, never learners'."""
        self.figures.append(figure_to_dict(figure))

    # --- results -------------------------------------------------------------------------
    @property
    def records(self) -> list[CheckResult]:
        """The checks as the learner reads them: a failure's message, hint and review link."""
        return [self._result(record) for record in self.checks]

    def _result(self, record: CheckRecord) -> CheckResult:
        message = record.message
        if not record.passed:
            if record.hint and self.show_hints:
                message = f"{message}. {record.hint}"
            if self.review_path:
                message = f"{message} (review: {self.review_path})"
        return CheckResult(
            name=record.name, passed=record.passed, message=message, points=record.points
        )

    @property
    def score(self) -> float:
        total = sum(record.points for record in self.checks)
        earned = sum(record.points for record in self.checks if record.passed)
        return round(earned / total, 4) if total else 0.0

    @property
    def all_passed(self) -> bool:
        return bool(self.checks) and all(record.passed for record in self.checks)


def tolerance(
    reference: Any, *, rtol: float | None = None, atol: float | None = None
) -> tuple[float, float]:
    """The policy's (rtol, atol) for a reference value, unless the caller sets them."""
    if atol is None:
        values = np.asarray(reference, dtype=np.float64) if reference is not None else None
        finite = values[np.isfinite(values)] if values is not None else np.zeros(0)
        scale = float(np.max(np.abs(finite), initial=0.0))
        atol = max(DEFAULT_ATOL_SCALE * scale, MIN_ATOL)
    return (DEFAULT_RTOL if rtol is None else rtol), atol


def conditioned(condition: float, *, safety: float = 8.0) -> float:
    """The rtol for a problem whose relative condition number is ``condition``.

    A correct float32 computation is off by about condition x 6e-8 (the inputs alone are
    rounded that much); the default 1e-5 covers condition numbers up to about 20. Softmax of
    logits near 1000, for instance, has condition about 1000: rtol = conditioned(1000) ~ 5e-4.
    """
    return max(DEFAULT_RTOL, safety * FLOAT32_ROUNDOFF * float(condition))


def _off_by(call: Call, where: str, got: np.ndarray, reference: np.ndarray) -> str:
    error = np.abs(got - reference)
    worst = np.unravel_index(int(np.nanargmax(error)), error.shape) if got.ndim else ()
    index = tuple(int(i) for i in worst)
    at = f" at index {index}" if got.ndim else ""
    expected_text, got_text = format_pair(float(reference[index]), float(got[index]))
    return (
        f"{call.func}() {where} is off by up to {format_error(float(error[index]))}{at}: "
        f"expected {expected_text}, got {got_text}"
    )


__all__ = [
    "Call",
    "CheckFailed",
    "CheckRecord",
    "FnSpec",
    "Grader",
    "Outcome",
    "conditioned",
    "tolerance",
]
