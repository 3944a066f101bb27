"""Known mistakes, declared by an exercise, and the rule that matches a failure to one of them.

A ``checks.py`` may declare ``def mistakes() -> list[Mistake]``. Each mistake says what it is
and where (``diagnosis``), how to fix it (``fix``), and optionally hints revealed after the
diagnosis; and it is recognised in one of two ways:

- ``wrong``: a wrong implementation of the learner's function(s), run here (trusted) on the
  same inputs as the reference. One callable stands for the exercise's function named by
  ``function`` (default: the only function the cases call); a mapping names each function.
- ``predicate``: a function of the Grader that says whether the learner's values show the
  mistake (for what a wrong implementation cannot reproduce, such as an unseeded generator).

The matching rule for a wrong implementation W (sound: it never names a mistake the learner's
values contradict). Let the *failing cases* be the cases read by a failed check on which the
learner's outcome disagrees with the reference's, and the *telling cases* those on which W
disagrees with the reference. W matches when, within the functions it covers,

1. there is at least one failing case, and
2. the learner agrees with W on every failing case and on every telling case.

So the learner reproduces the mistake wherever it shows, and shows nothing else there.
"Agrees" compares whole return values: same structure, same shape, non-finite entries in the
same places (NaN or infinity alike) and finite entries within ``rtol``/``atol``; two errors
agree when they are exceptions of the same type. A predicate matches when it returns True.

A match *explains* a failed check when every case the check failed on belongs to the
functions the mistake covers (a predicate: to its ``cases``, default all). The diagnosis is
the first declared mistake that explains every failed check, else the one explaining most.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from apps.sandbox.grading.grader import (
    DEFAULT_ATOL_SCALE,
    DEFAULT_RTOL,
    MIN_ATOL,
    Call,
    Grader,
    Outcome,
)
from apps.sandbox.grading.results import Diagnosis
from apps.sandbox.runner.wire import Unsupported

MISTAKE_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer: how to recognise it and what to tell the learner."""

    id: str
    diagnosis: str
    fix: str
    wrong: Callable[..., Any] | Mapping[str, Callable[..., Any]] | None = None
    predicate: Callable[[Grader], bool] | None = None
    hints: tuple[str, ...] = ()
    function: str = ""
    # For a predicate: the cases whose failures it explains (default: every case).
    cases: tuple[str, ...] = ()
    # How closely the learner must reproduce ``wrong``: the tolerance policy's by default
    # (relative 1e-5; absolute 1e-6 of the largest value, at least 1e-8).
    rtol: float = DEFAULT_RTOL
    atol: float | None = None

    def __post_init__(self) -> None:
        if not MISTAKE_ID_RE.match(self.id):
            raise ValueError(f"mistake id {self.id!r} is not lowercase words joined by hyphens")
        if (self.wrong is None) == (self.predicate is None):
            raise ValueError(f"mistake {self.id!r} needs exactly one of wrong= and predicate=")
        if not self.diagnosis.strip() or not self.fix.strip():
            raise ValueError(f"mistake {self.id!r} needs a diagnosis and a fix")

    def implementations(self, calls: Sequence[Call]) -> dict[str, Callable[..., Any]]:
        """The wrong functions by learner function name."""
        if self.wrong is None:
            return {}
        if isinstance(self.wrong, Mapping):
            return dict(self.wrong)
        name = self.function
        if not name:
            names = {call.func for call in calls}
            if len(names) != 1:
                raise ValueError(
                    f"mistake {self.id!r}: the cases call {sorted(names)}; name the function "
                    "its wrong implementation stands for with function="
                )
            (name,) = names
        return {name: self.wrong}

    def as_diagnosis(self) -> Diagnosis:
        return Diagnosis(id=self.id, message=self.diagnosis, fix=self.fix, hints=self.hints)


def changes_argument(*names: str) -> Callable[[Grader], bool]:
    """A predicate for a mistake: the learner changed one of ``names`` (any, if none given) in
    place on some case, where the reference leaves it (Grader.changed_arguments)."""

    def shown(g: Grader) -> bool:
        changed = set().union(*g.changed_arguments().values()) if g.changed_arguments() else set()
        return bool(changed & set(names)) if names else bool(changed)

    return shown


# --- agreement -------------------------------------------------------------------------------
def _numeric(value: Any) -> np.ndarray | None:
    if isinstance(value, bool | int | float | complex | np.ndarray | np.generic):
        array = np.asarray(value)
        if array.dtype.kind in "biufc":
            return array.astype(np.complex128 if array.dtype.kind == "c" else np.float64)
    return None


def _arrays_agree(a: np.ndarray, b: np.ndarray, rtol: float, atol: float | None) -> bool:
    if a.shape != b.shape:
        return False
    finite_a, finite_b = np.isfinite(a), np.isfinite(b)
    if not np.array_equal(finite_a, finite_b):
        return False
    both = finite_a & finite_b
    if atol is None:
        scale = float(np.max(np.abs(b[both]), initial=0.0))
        atol = max(DEFAULT_ATOL_SCALE * scale, MIN_ATOL)
    return bool(np.allclose(a[both], b[both], rtol=rtol, atol=atol))


def values_agree(a: Any, b: Any, *, rtol: float = DEFAULT_RTOL, atol: float | None = None) -> bool:
    """Whether two returned values are the same up to tolerance (see the module docstring)."""
    if isinstance(a, tuple | list) and isinstance(b, tuple | list):
        return len(a) == len(b) and all(
            values_agree(x, y, rtol=rtol, atol=atol) for x, y in zip(a, b, strict=True)
        )
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(
            values_agree(a[k], b[k], rtol=rtol, atol=atol) for k in a
        )
    if isinstance(a, Unsupported) or isinstance(b, Unsupported):
        return False
    x, y = _numeric(a), _numeric(b)
    if x is not None and y is not None:
        with np.errstate(all="ignore"):
            return _arrays_agree(x, y, rtol, atol)
    if x is not None or y is not None:
        return False
    return bool(type(a) is type(b) and a == b)


def outcomes_agree(
    a: Outcome, b: Outcome, *, rtol: float = DEFAULT_RTOL, atol: float | None = None
) -> bool:
    """Two outcomes agree: both values that agree, or both errors of the same type."""
    if a.ok and b.ok:
        return values_agree(a.value, b.value, rtol=rtol, atol=atol)
    if a.ok or b.ok:
        return False
    return bool(a.error_type) and a.error_type == b.error_type


# --- matching --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Match:
    """A mistake whose signature the learner's values show, and the failed checks it explains."""

    mistake: Mistake
    explained: frozenset[int] = field(default_factory=frozenset)


def failing_cases(grader: Grader) -> dict[int, set[str]]:
    """For each failed check (by index), the cases it read on which the learner is wrong."""
    failing: dict[int, set[str]] = {}
    for index, record in enumerate(grader.checks):
        if record.passed:
            continue
        failing[index] = {
            key
            for key in record.keys
            if key in grader.calls
            and grader.expected_outcome(key).ok
            and not outcomes_agree(grader.outcome(key), grader.expected_outcome(key))
        }
    return failing


def _match_wrong(
    mistake: Mistake,
    grader: Grader,
    predicted: Mapping[str, Outcome],
    failing: dict[int, set[str]],
) -> Match | None:
    keys = set(predicted)
    all_failing = set().union(*failing.values()) if failing else set()
    in_scope = all_failing & keys
    if not in_scope:
        return None
    telling = {
        key
        for key in keys
        if grader.expected_outcome(key).ok
        and not outcomes_agree(predicted[key], grader.expected_outcome(key))
    }
    if not all(
        outcomes_agree(grader.outcome(key), predicted[key], rtol=mistake.rtol, atol=mistake.atol)
        for key in in_scope | telling
    ):
        return None
    explained = frozenset(index for index, cases in failing.items() if cases and cases <= keys)
    return Match(mistake, explained)


def _match_predicate(
    mistake: Mistake, grader: Grader, failing: dict[int, set[str]]
) -> Match | None:
    assert mistake.predicate is not None
    try:
        with np.errstate(all="ignore"):
            shown = bool(mistake.predicate(grader))
    except Exception:  # a predicate that cannot decide has not matched
        return None
    if not shown:
        return None
    scope = set(mistake.cases)
    explained = frozenset(
        index for index in failing if not scope or set(grader.checks[index].keys) <= scope
    )
    return Match(mistake, explained)


def diagnose(
    mistakes: Sequence[Mistake],
    grader: Grader,
    predictions: Mapping[str, Mapping[str, Outcome]],
) -> Match | None:
    """The declared mistake the failure matches, if any (see the module docstring).

    ``predictions`` holds, for each mistake with a wrong implementation, its outcome on each
    case of the functions it covers (computed by the caller, here in the trusted process).
    """
    failing = failing_cases(grader)
    if not failing:
        return None
    matches = []
    for mistake in mistakes:
        if mistake.predicate is not None:
            match = _match_predicate(mistake, grader, failing)
        else:
            match = _match_wrong(mistake, grader, predictions.get(mistake.id, {}), failing)
        if match is not None and match.explained:
            matches.append(match)
    if not matches:
        return None
    # The first declared mistake that explains every failed check, else the one explaining most.
    return max(matches, key=lambda match: len(match.explained))
