"""Plots from code run in the sandbox: ``from dlplot import line, scatter, heatmap, histogram,
vector_field``.

Each call records the arrays of one figure (numbers only: no titles, labels or colours, so no
learner string can reach a figure) and returns None. When the run ends, child.py sends the
records back with the result, as plain data in the same capped frame; the trusted side
(grading/sketch.py) checks every record again, as if this module did not exist (learner code
shares the process and can rewrite anything here), and draws the figures with fixed labels.

Loaded in the zygote before isolation and registered as the top-level module ``dlplot``
(the sandbox's filesystem has no copy of the project to import it from). Each run is a fork,
so what one run records or patches here is gone for the next. Stdlib and NumPy only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .limits import PLOT_MAX_BINS, PLOT_MAX_FIGURES, PLOT_MAX_SERIES, PLOT_MAX_VALUES

__all__ = ["heatmap", "histogram", "line", "scatter", "vector_field"]

_records: list[dict[str, Any]] = []


def _numbers(name: str, value: Any, dims: tuple[int, ...]) -> np.ndarray[Any, Any]:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"dlplot: {name} must be numbers (a list or NumPy array)") from None
    if array.ndim not in dims:
        wanted = " or ".join(f"{d}-D" for d in dims)
        raise ValueError(f"dlplot: {name} must be {wanted}, not {array.ndim}-D {array.shape}")
    if array.size == 0:
        raise ValueError(f"dlplot: {name} is empty")
    if array.size > PLOT_MAX_VALUES:
        raise ValueError(
            f"dlplot: {name} has {array.size:,} numbers; a plot takes at most {PLOT_MAX_VALUES:,}"
        )
    return np.ascontiguousarray(array)


def _record(kind: str, **fields: Any) -> None:
    if len(_records) >= PLOT_MAX_FIGURES:
        raise RuntimeError(f"dlplot: a run draws at most {PLOT_MAX_FIGURES} plots")
    _records.append({"kind": kind, **fields})


def _same_length(kind: str, **arrays: np.ndarray[Any, Any]) -> None:
    lengths = {name: len(array) for name, array in arrays.items()}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"dlplot.{kind}: lengths differ ({described})")


def line(x: Any, y: Any = None, *, logy: bool = False) -> None:
    """A line plot: ``line(y)`` against 0, 1, 2...; ``line(x, y)``; a 2-D ``y`` draws one
    line per column (at most PLOT_MAX_SERIES). ``logy=True`` for a log-scale y axis."""
    if y is None:
        y = _numbers("y", x, (1, 2))
        x = np.arange(len(y), dtype=np.float64)
    else:
        x, y = _numbers("x", x, (1,)), _numbers("y", y, (1, 2))
    _same_length("line", x=x, y=y)
    if y.ndim == 2 and y.shape[1] > PLOT_MAX_SERIES:
        raise ValueError(f"dlplot.line: at most {PLOT_MAX_SERIES} lines (columns of y)")
    _record("line", x=x, y=y, logy=bool(logy))


def scatter(x: Any, y: Any, c: Any = None) -> None:
    """Points (x[i], y[i]); ``c`` colours them by value (a class label, a loss...)."""
    fields = {"x": _numbers("x", x, (1,)), "y": _numbers("y", y, (1,))}
    if c is not None:
        fields["c"] = _numbers("c", c, (1,))
    _same_length("scatter", **fields)
    _record("scatter", **fields)


def heatmap(z: Any) -> None:
    """A matrix as colours: row 0 at the top, as it prints."""
    _record("heatmap", z=_numbers("z", z, (2,)))


def histogram(samples: Any, bins: int = 30) -> None:
    """The distribution of ``samples`` in ``bins`` equal bins (at most PLOT_MAX_BINS)."""
    if type(bins) is not int or not 1 <= bins <= PLOT_MAX_BINS:
        raise ValueError(f"dlplot.histogram: bins must be a whole number from 1 to {PLOT_MAX_BINS}")
    _record("histogram", samples=_numbers("samples", samples, (1,)), bins=bins)


def vector_field(x: Any, y: Any, u: Any, v: Any) -> None:
    """Arrows (u, v) at points (x, y): four arrays of one shape (1-D, or grids from meshgrid)."""
    arrays = {
        name: _numbers(name, value, (1, 2)).ravel()
        for name, value in (("x", x), ("y", y), ("u", u), ("v", v))
    }
    _same_length("vector_field", **arrays)
    _record("vector_field", **arrays)


def take() -> list[dict[str, Any]]:
    """The records of this run, for child.py to send (and forget)."""
    records = list(_records)
    _records.clear()
    return records
