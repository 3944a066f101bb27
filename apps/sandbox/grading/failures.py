"""The failure figure: the first case a check failed on, drawn as yours against the reference.

The engine calls ``draw_failing_case`` unless the exercise's checks.py draws the case itself
(``failure_figures(g, key)``). A case returning arrays is drawn by ``plots.failure_figure``
(curves, or heatmaps with the difference), a case returning a number together with the other
scalar cases of the same check by ``plots.scalar_failure_figure``; for a tuple, the first
returned value that differs is drawn.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from apps.sandbox.grading import plots
from apps.sandbox.grading.grader import Grader
from apps.sandbox.grading.mistakes import failing_cases, values_agree


def first_failing_case(grader: Grader) -> str | None:
    """The first case (in check order, then read order) a failed check failed on, with a
    value to draw: None when the learner raised on every such case."""
    failing = failing_cases(grader)
    for index, cases in sorted(failing.items()):
        for key in grader.checks[index].keys:
            if key in cases and grader.outcome(key).ok:
                return key
    return None


def _differing_part(yours: Any, reference: Any) -> int | None:
    """Which returned value of a tuple differs (None for a single value)."""
    if not isinstance(reference, tuple | list) or not isinstance(yours, tuple | list):
        return None
    for part, (mine, theirs) in enumerate(zip(yours, reference, strict=False)):
        if not values_agree(mine, theirs):
            return part
    return 0


def _real(value: Any) -> np.ndarray | None:
    """A returned value as a real float array, or None when it is not one (nothing to draw)."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        return None
    return array.astype(np.float64) if array.dtype.kind in "biuf" else None


def _part(value: Any, part: int | None) -> Any:
    if part is None:
        return value
    return value[part] if isinstance(value, tuple | list) and len(value) > part else None


def draw_failing_case(grader: Grader, key: str) -> None:
    """Add the figure of case ``key`` (yours against the reference) to the grader's figures."""
    call = grader.call(key)
    part = _differing_part(grader.outcome(key).value, grader.expected(key))
    reference = _real(grader.expected(key, part))
    if reference is None:
        return
    which = f", returned value {part + 1}" if part is not None else ""
    if reference.ndim > 0:
        yours = _real(_part(grader.outcome(key).value, part))
        title = f"{call.func}() on {call.description}{which}: yours against the reference"
        grader.figure(plots.failure_figure(yours, reference, title=title))
        return
    record = next(r for r in grader.checks if not r.passed and key in r.keys)
    scalars = [
        k
        for k in record.keys
        if grader.expected_outcome(k).ok and np.ndim(_part(grader.expected(k), part)) == 0
    ][:16]
    values = [grader.try_array(k, part, shape=()) for k in scalars]
    grader.figure(
        plots.scalar_failure_figure(
            [grader.call(k).description for k in scalars],
            [None if v is None else float(v) for v in values],
            [float(np.real(_part(grader.expected(k), part))) for k in scalars],
            title=f"{record.name}: yours against the reference{which}",
        )
    )
