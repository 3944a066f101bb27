"""The check library exercise authors write ``checks.py`` against.

Runs only in the trusted process. A ``checks.py`` defines::

    def cases(rng: np.random.Generator) -> list[Call]     # inputs; a new draw per submission
    def grade(g: Grader) -> None                          # record checks with g.check_* / g.custom
    def figures(g: Grader) -> None                        # optional: g.figure(go.Figure(...))

Every value a check looks at came back from the sandbox as plain data; the expected values
come from the reference solution, run here. A check never trusts a learner's object: there
are none, only arrays, numbers and short strings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from apps.sandbox.grading.figures import figure_to_dict
from apps.sandbox.grading.results import CheckResult, Figure
from apps.sandbox.runner.wire import FnSpec, Unsupported

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
        return (
            np.format_float_positional(float(array), precision=6, trim="-")
            if array.dtype.kind == "f"
            else str(array.item())
        )
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
    ) -> None:
        self.calls = {call.key: call for call in calls}
        self._expected = expected
        self._actual = actual
        self.review_path = review_path
        self.records: list[CheckResult] = []
        self.figures: list[Figure] = []

    # --- reading values ------------------------------------------------------------------
    def call(self, key: str) -> Call:
        return self.calls[key]

    def args(self, key: str) -> tuple[Any, ...]:
        """The inputs the learner's function was called with (FnSpecs stay specs)."""
        return self.calls[key].args

    def arg(self, key: str, index: int = 0) -> Any:
        return self.calls[key].args[index]

    def expected(self, key: str, part: int | None = None) -> Any:
        outcome = self._expected[key]
        if not outcome.ok:
            raise RuntimeError(f"the reference solution failed on case {key!r}: {outcome.error}")
        value = outcome.value
        return value[part] if part is not None else value

    def outcome(self, key: str) -> Outcome:
        return self._actual.get(key) or Outcome(ok=False, error="the call never returned")

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
            raise CheckFailed(
                f"{name} should return shape {tuple(shape)}, "
                f"but returned shape {tuple(array.shape)}"
            )
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
        try:
            verdict = check()
        except CheckFailed as failure:
            verdict = str(failure)
        except (ValueError, TypeError, IndexError, ArithmeticError, FloatingPointError) as exc:
            verdict = f"your result could not be checked ({type(exc).__name__}: {exc})"
        passed = verdict is None or verdict is True
        if passed:
            message = success or "correct"
        else:
            message = verdict if isinstance(verdict, str) else f"{name}: not satisfied"
            if hint:
                message = f"{message}. {hint}"
            if self.review_path:
                message = f"{message} (review: {self.review_path})"
        self.records.append(CheckResult(name=name, passed=passed, message=message, points=points))
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
        rtol: float = 1e-6,
        atol: float = 1e-8,
        points: float = 1,
        hint: str = "",
        expected: Any = None,
    ) -> bool:
        """The learner's value has the reference's shape, is finite where it is, and is close."""

        def run() -> str | None:
            reference = np.asarray(self.expected(key, part) if expected is None else expected)
            got = self.array(key, part, shape=tuple(reference.shape))
            call = self.calls[key]
            where = f"on {call.description}"
            bad = ~np.isfinite(got) & np.isfinite(reference)
            if bad.any():
                index = tuple(int(i) for i in np.argwhere(bad)[0]) if got.ndim else ()
                what = "NaN" if np.isnan(got[index]) else "an infinity"
                return (
                    f"{call.func}() returned {what} at index {index} {where}; "
                    f"the correct value there is {_fmt(reference[index])}"
                )
            if not np.allclose(got, reference, rtol=rtol, atol=atol, equal_nan=True):
                error = np.abs(got - reference)
                worst = np.unravel_index(int(np.nanargmax(error)), error.shape) if got.ndim else ()
                index = tuple(int(i) for i in worst)
                at = f" at index {index}" if got.ndim else ""
                return (
                    f"{call.func}() {where} is off by up to {_fmt(error[index])}{at}: "
                    f"expected {_fmt(reference[index])}, got {_fmt(got[index])}"
                )
            return None

        return self.custom(name, run, points=points, hint=hint)

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
                return (
                    f"the gradient disagrees with finite differences at index {index}: "
                    f"finite differences give {_fmt(numeric[index])}, yours is {_fmt(got[index])}"
                )
            return None

        return self.custom(name, run, points=points, hint=hint)

    # --- figures -------------------------------------------------------------------------
    def figure(self, figure: Any) -> None:
        """Add a Plotly figure (a go.Figure or its dict). Authors' labels only, never learners'."""
        self.figures.append(figure_to_dict(figure))

    # --- results -------------------------------------------------------------------------
    @property
    def score(self) -> float:
        total = sum(record.points for record in self.records)
        earned = sum(record.points for record in self.records if record.passed)
        return round(earned / total, 4) if total else 0.0

    @property
    def all_passed(self) -> bool:
        return bool(self.records) and all(record.passed for record in self.records)


__all__ = ["Call", "CheckFailed", "FnSpec", "Grader", "Outcome"]
