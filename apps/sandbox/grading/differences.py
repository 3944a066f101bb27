"""What differs between a learner's value and the reference's, said without guessing a cause.

When no declared mistake explains a failure, the learner is told what the difference *is*:
a transposed or permuted result, a missing or extra axis, a constant factor ("exactly 8 times
the expected value"), the opposite sign, a constant offset, the square of the expected value,
the right values in the wrong places, NaN or infinity where the reference is finite. Each
detector looks only at the two arrays, so what it says is true whatever the learner wrote.

Numbers in messages are printed with enough significant digits to show that they differ
(never "expected 0.992192, got 0.992192").
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

# Constants a factor is recognised as, by name: the factor itself is the fact reported.
NAMED_FACTORS = {
    "ln 2 ≈ 0.6931": math.log(2),
    "1/ln 2 ≈ 1.443": 1 / math.log(2),
    "ln 10 ≈ 2.303": math.log(10),
    "1/ln 10 ≈ 0.4343": 1 / math.log(10),
    "π": math.pi,
    "1/π": 1 / math.pi,
    "2π": 2 * math.pi,
    "√2": math.sqrt(2),
    "1/√2": 1 / math.sqrt(2),
}
# How exactly a relation must hold to be called exact, relative to the values' scale.
EXACT = 1e-6


# --- numbers ---------------------------------------------------------------------------------
def format_number(x: float, digits: int = 6) -> str:
    """``x`` with ``digits`` significant digits, positional unless very large or small."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"
    if 1e-4 <= abs(x) < 1e7:
        return np.format_float_positional(x, precision=digits, fractional=False, trim="-")
    return f"{x:.{max(digits - 1, 1)}e}".replace("e-0", "e-").replace("e+0", "e+")


def digits_to_tell_apart(a: float, b: float, minimum: int = 6) -> int:
    """Significant digits that print ``a`` and ``b`` differently (up to 17)."""
    a, b = float(a), float(b)
    if not (math.isfinite(a) and math.isfinite(b)) or a == b:
        return minimum
    relative = abs(a - b) / max(abs(a), abs(b))
    return int(min(17, max(minimum, math.ceil(-math.log10(relative)) + 2)))


def format_pair(expected: float, got: float) -> tuple[str, str]:
    """Both numbers with the same number of digits, enough to see that they differ."""
    digits = digits_to_tell_apart(expected, got)
    return format_number(expected, digits), format_number(got, digits)


def format_error(error: float) -> str:
    """A size of error: three significant digits is plenty."""
    return format_number(error, 3)


# --- shapes ----------------------------------------------------------------------------------
def _removed_axis(longer: tuple[int, ...], shorter: tuple[int, ...]) -> int | None:
    for axis in range(len(longer)):
        if longer[:axis] + longer[axis + 1 :] == shorter:
            return axis
    return None


def _same_ndim_shape(
    got: np.ndarray | None, expected: np.ndarray | None, gs: tuple[int, ...], es: tuple[int, ...]
) -> str:
    if sorted(gs) != sorted(es):
        return ""
    if len(gs) == 2 and gs == es[::-1]:
        if got is not None and expected is not None and _allclose(got, expected.T):
            return "it is the transpose of the expected result"
        return "the two axes are swapped"
    return "the axes are in a different order"


def describe_shape(
    got_shape: tuple[int, ...],
    expected_shape: tuple[int, ...],
    got: np.ndarray | None = None,
    expected: np.ndarray | None = None,
) -> str:
    """What is wrong with a shape, in words: '' when nothing simple describes it."""
    gs, es = tuple(got_shape), tuple(expected_shape)
    if len(gs) == len(es):
        said = _same_ndim_shape(got, expected, gs, es)
        if said:
            return said
    elif len(gs) == len(es) - 1:
        axis = _removed_axis(es, gs)
        if axis is not None:
            return f"axis {axis} (of length {es[axis]}) is missing"
    elif len(gs) == len(es) + 1:
        axis = _removed_axis(gs, es)
        if axis is not None:
            return f"there is an extra axis {axis} of length {gs[axis]}"
    if len(gs) == 0:
        return "a single number came back where an array is expected"
    if math.prod(gs) == math.prod(es):
        return f"the right number of entries ({math.prod(es)}) in a different shape"
    return ""


# --- values ----------------------------------------------------------------------------------
def _allclose(a: np.ndarray, b: np.ndarray, tolerance: float = EXACT) -> bool:
    if a.shape != b.shape:
        return False
    scale = max(float(np.max(np.abs(b), initial=0.0)), 1e-300)
    with np.errstate(all="ignore"):
        return bool(np.all(np.abs(a - b) <= tolerance * scale))


def _name_factor(c: float) -> str:
    """A factor in words if it is a recognisable number, else ''."""
    if abs(c + 1) <= EXACT:
        return "the negative of"
    sign = "-" if c < 0 else ""
    size = abs(c)
    for name, value in NAMED_FACTORS.items():
        if abs(size - value) <= EXACT * value:
            return f"exactly {sign}{name} times"
    fraction = Fraction(size).limit_denominator(12)
    if fraction != 1 and abs(size - float(fraction)) <= EXACT * size:
        if fraction.denominator == 1:
            return f"exactly {sign}{fraction.numerator} times"
        return f"exactly {sign}{fraction.numerator}/{fraction.denominator} of"
    return ""


def _factor(got: np.ndarray, expected: np.ndarray, *, scalar: bool) -> str:
    norm = float(np.sum(expected * expected))
    if norm == 0:
        return ""
    c = float(np.sum(got * expected)) / norm
    if not math.isfinite(c) or abs(c - 1) <= EXACT or not _allclose(got, c * expected):
        return ""
    named = _name_factor(c)
    what = "your value is" if scalar else "every entry is"
    if named == "the negative of":
        return f"{what} the negative of the expected one (the opposite sign)"
    if named:
        return f"{what} {named} the expected one"
    if scalar:
        return ""
    return f"every entry is the expected one times the same factor {format_number(c)}"


def _offset(got: np.ndarray, expected: np.ndarray) -> str:
    shift = float(np.median(got - expected))
    scale = max(float(np.max(np.abs(expected))), 1e-300)
    if abs(shift) <= EXACT * scale or not _allclose(got, expected + shift):
        return ""
    return f"every entry is off by the same constant {shift:+.6g}"


def _power(got: np.ndarray, expected: np.ndarray, *, scalar: bool) -> str:
    what = "your value is" if scalar else "every entry is"
    if not _allclose(expected, expected * expected) and _allclose(got, expected * expected):
        return f"{what} the square of the expected one"
    root = np.sqrt(np.abs(expected))
    if np.all(expected >= 0) and not _allclose(expected, root) and _allclose(got, root):
        return f"{what} the square root of the expected one"
    return ""


def _rearranged(got: np.ndarray, expected: np.ndarray) -> str:
    if not _allclose(np.sort(got, axis=None), np.sort(expected, axis=None)):
        return ""
    square = expected.ndim == 2 and expected.shape[0] == expected.shape[1]
    if square and _allclose(got, expected.T):
        return "it is the transpose of the expected result"
    for axis in range(expected.ndim):
        if expected.shape[axis] > 1 and _allclose(got, np.flip(expected, axis=axis)):
            return f"the entries along axis {axis} are in reverse order"
    if expected.ndim == 2:
        rows_got = sorted(map(tuple, np.round(got, 9)))
        if rows_got == sorted(map(tuple, np.round(expected, 9))):
            return "the rows are right but in a different order"
        if sorted(map(tuple, np.round(got.T, 9))) == sorted(map(tuple, np.round(expected.T, 9))):
            return "the columns are right but in a different order"
    return "it holds the expected values, but in different places"


def _nonfinite(got: np.ndarray, expected: np.ndarray) -> str:
    bad = ~np.isfinite(got) & np.isfinite(expected)
    if not bad.any():
        return ""
    count = int(bad.sum())
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    what = "NaN" if np.isnan(got[index]) else "infinite"
    at = f" at index {index}" if got.ndim else ""
    if got.ndim == 0:
        return f"your value is {what} where the expected one is finite"
    others = f" ({count} entries in all)" if count > 1 else ""
    return f"your result is {what}{at} where the expected one is finite{others}"


def describe_difference(got: np.ndarray, expected: np.ndarray) -> str:
    """What relates ``got`` to ``expected`` (same shape), in words; '' if nothing simple does."""
    got, expected = np.asarray(got), np.asarray(expected)
    if got.shape != expected.shape:
        return describe_shape(got.shape, expected.shape, got, expected)
    if np.iscomplexobj(got) or np.iscomplexobj(expected):
        return ""
    got, expected = got.astype(np.float64), expected.astype(np.float64)
    said = _nonfinite(got, expected)
    if said or not (np.all(np.isfinite(got)) and np.all(np.isfinite(expected))):
        return said
    if got.size and not got.any() and expected.any():
        return "every entry is zero"
    scalar = bool(got.size == 1 or np.count_nonzero(expected) < 2)
    with np.errstate(all="ignore"):
        if scalar:
            # A single ratio always exists; a square is the more telling fact when both hold.
            return _power(got, expected, scalar=True) or _factor(got, expected, scalar=True)
        said = _factor(got, expected, scalar=False) or _power(got, expected, scalar=False)
        if said:
            return said
        return _offset(got, expected) or _rearranged(got, expected)
