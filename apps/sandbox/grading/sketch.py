"""Figures of values a run returned: dlplot's records (try-it cells) and a returned value
(run on my own input). Trusted side.

Whatever a run sends is the learner's, so every record is checked here again as if the
sandbox's dlplot did not exist: a known kind, numeric arrays of the right dimensions under the
caps, a few flags of exact types. Everything else is dropped with a note in our own words.
Titles, axis labels and series names are fixed strings of this module; no string from a run
ever reaches a figure. Describing a value (``describe_value``) formats it here, from the
decoded plain data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from apps.sandbox.grading.figures import figure_to_dict
from apps.sandbox.grading.results import Figure
from apps.sandbox.runner.limits import (
    PLOT_MAX_BINS,
    PLOT_MAX_FIGURES,
    PLOT_MAX_SERIES,
    PLOT_MAX_VALUES,
)
from apps.sandbox.runner.wire import Unsupported

SIGNIFICANT_DIGITS = 5
MAX_ARROWS = 900  # a 30 x 30 field; more are thinned out evenly
MAX_VALUE_FIGURES = 4  # figures of one returned value (a tuple's arrays)
MAX_TEXT = 4000  # characters of a value written out
BAR_MAX = 30  # a vector this short is drawn as bars (probabilities, scores), longer as a line
COLOURS = ["#2563eb", "#f97316", "#16a34a", "#9333ea", "#dc2626", "#0891b2", "#ca8a04", "#4b5563"]


class PlotRefused(ValueError):
    """A record that is not drawn; the message (ours) says why."""


def rounded(value: Any) -> Any:
    """``value`` (plain JSON data) with floats rounded to SIGNIFICANT_DIGITS, non-finite ones
    as null (JSON has no NaN): a screen shows fewer digits, and the page carries less."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return float(f"{value:.{SIGNIFICANT_DIGITS}g}")
    if isinstance(value, list):
        return [rounded(item) for item in value]
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    return value


def _numbers(array: Any) -> list[Any]:
    return rounded(np.asarray(array, dtype=np.float64).tolist())  # type: ignore[no-any-return]


def _array(record: dict[str, Any], name: str, dims: tuple[int, ...]) -> np.ndarray[Any, Any]:
    value = record.get(name)
    if type(value) is not np.ndarray or value.dtype.kind not in "biuf":
        raise PlotRefused(f"its {name} is not an array of real numbers")
    if value.ndim not in dims or value.size == 0:
        raise PlotRefused(f"its {name} has the wrong number of dimensions")
    if value.size > PLOT_MAX_VALUES:
        raise PlotRefused(f"its {name} has more than {PLOT_MAX_VALUES:,} numbers")
    return value.astype(np.float64)


def _lengths_match(*arrays: np.ndarray[Any, Any]) -> None:
    if len({len(array) for array in arrays}) != 1:
        raise PlotRefused("its arrays have different lengths")


def _layout(title: str, x: str, y: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": title},
        "xaxis": {"title": {"text": x}},
        "yaxis": {"title": {"text": y}},
        "height": 380,
        # Below the x axis's title, not on it.
        "legend": {"orientation": "h", "y": -0.3, "yanchor": "top"},
        "margin": {"b": 90},
        **extra,
    }


def _line(record: dict[str, Any], number: int) -> Figure:
    x, y = _array(record, "x", (1,)), _array(record, "y", (1, 2))
    _lengths_match(x, y)
    columns = y.reshape(len(y), -1)
    if columns.shape[1] > PLOT_MAX_SERIES:
        raise PlotRefused(f"it has more than {PLOT_MAX_SERIES} lines")
    logy = record.get("logy") is True
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": _numbers(x),
            "y": _numbers(
                np.where(columns[:, j] > 0, columns[:, j], np.nan) if logy else columns[:, j]
            ),
            "name": f"column {j}",
            "line": {"color": COLOURS[j % len(COLOURS)]},
        }
        for j in range(columns.shape[1])
    ]
    layout = _layout(f"plot {number}: line", "x", "y (log scale)" if logy else "y")
    if logy:
        layout["yaxis"]["type"] = "log"
    layout["showlegend"] = len(traces) > 1
    return {"data": traces, "layout": layout}


def _scatter(record: dict[str, Any], number: int) -> Figure:
    x, y = _array(record, "x", (1,)), _array(record, "y", (1,))
    marker: dict[str, Any] = {"size": 6, "color": COLOURS[0]}
    if "c" in record and record["c"] is not None:
        c = _array(record, "c", (1,))
        _lengths_match(x, y, c)
        marker = {"size": 6, "color": _numbers(c), "colorscale": "Viridis", "showscale": True}
    _lengths_match(x, y)
    trace = {
        "type": "scatter",
        "mode": "markers",
        "x": _numbers(x),
        "y": _numbers(y),
        "marker": marker,
    }
    return {"data": [trace], "layout": _layout(f"plot {number}: scatter", "x", "y")}


def _heatmap_trace(z: np.ndarray[Any, Any]) -> dict[str, Any]:
    finite = z[np.isfinite(z)]
    signed = finite.size > 0 and finite.min() < 0 < finite.max()
    trace: dict[str, Any] = {
        "type": "heatmap",
        "z": _numbers(z),
        "colorscale": "RdBu" if signed else "Viridis",
    }
    if signed:
        trace.update(zmid=0, reversescale=True)
    return trace


def _heatmap(record: dict[str, Any], number: int) -> Figure:
    z = _array(record, "z", (2,))
    layout = _layout(f"plot {number}: heatmap, {z.shape[0]} × {z.shape[1]}", "column", "row")
    layout["yaxis"]["autorange"] = "reversed"
    return {"data": [_heatmap_trace(z)], "layout": layout}


def _histogram(record: dict[str, Any], number: int) -> Figure:
    samples = _array(record, "samples", (1,))
    bins = record.get("bins", 30)
    if type(bins) is not int or not 1 <= bins <= PLOT_MAX_BINS:
        raise PlotRefused(f"its bins is not a whole number from 1 to {PLOT_MAX_BINS}")
    finite = samples[np.isfinite(samples)]
    if finite.size == 0:
        raise PlotRefused("it has no finite samples")
    counts, edges = np.histogram(finite, bins=bins)
    bar = {
        "type": "bar",
        "x": _numbers((edges[:-1] + edges[1:]) / 2),
        "y": counts.tolist(),
        "width": _numbers(np.diff(edges)),
        "marker": {"color": COLOURS[0]},
    }
    title = f"plot {number}: histogram of {finite.size:,} samples"
    return {"data": [bar], "layout": _layout(title, "value", "count", bargap=0.02)}


def _arrows(
    x: np.ndarray[Any, Any],
    y: np.ndarray[Any, Any],
    u: np.ndarray[Any, Any],
    v: np.ndarray[Any, Any],
) -> tuple[list[Any], list[Any]]:
    """Shafts and heads of arrows as one polyline with gaps (None), scaled so that the
    longest arrow is about the spacing of the points."""
    span = max(float(np.ptp(x)), float(np.ptp(y)), 1e-12)
    spacing = span / max(math.sqrt(len(x)), 1.0)
    longest = float(np.max(np.hypot(u, v))) if len(u) else 0.0
    scale = 0.9 * spacing / longest if longest > 0 else 0.0
    xs: list[Any] = []
    ys: list[Any] = []
    for x0, y0, du, dv in zip(x, y, u * scale, v * scale, strict=True):
        x1, y1 = x0 + du, y0 + dv
        angle, head = math.atan2(dv, du), 0.3 * math.hypot(du, dv)
        left = (x1 - head * math.cos(angle - 0.45), y1 - head * math.sin(angle - 0.45))
        right = (x1 - head * math.cos(angle + 0.45), y1 - head * math.sin(angle + 0.45))
        xs += [x0, x1, left[0], x1, right[0], None]
        ys += [y0, y1, left[1], y1, right[1], None]
    return xs, ys


def _vector_field(record: dict[str, Any], number: int) -> Figure:
    x, y, u, v = (_array(record, name, (1, 2)).ravel() for name in ("x", "y", "u", "v"))
    _lengths_match(x, y, u, v)
    keep = np.isfinite(x) & np.isfinite(y) & np.isfinite(u) & np.isfinite(v)
    x, y, u, v = x[keep], y[keep], u[keep], v[keep]
    if len(x) > MAX_ARROWS:
        every = np.linspace(0, len(x) - 1, MAX_ARROWS).astype(int)
        x, y, u, v = x[every], y[every], u[every], v[every]
    xs, ys = _arrows(x, y, u, v)
    trace = {
        "type": "scatter",
        "mode": "lines",
        "x": rounded(xs),
        "y": rounded(ys),
        "line": {"color": COLOURS[0], "width": 1.5},
        "hoverinfo": "skip",
    }
    layout = _layout(f"plot {number}: vector field, {len(x)} arrows", "x", "y")
    layout["yaxis"].update(scaleanchor="x", scaleratio=1)
    return {"data": [trace], "layout": layout}


_DRAW = {
    "line": _line,
    "scatter": _scatter,
    "heatmap": _heatmap,
    "histogram": _histogram,
    "vector_field": _vector_field,
}


@dataclass
class Sketches:
    """The figures drawn from a run's plot records, and a note for each record that was not."""

    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def figures_from_plots(records: Any) -> Sketches:
    """Draw each dlplot record a run returned (at most PLOT_MAX_FIGURES); see the docstring."""
    sketches = Sketches()
    if type(records) is not list:
        sketches.notes.append("the plots could not be read")
        return sketches
    if len(records) > PLOT_MAX_FIGURES:
        sketches.notes.append(f"only the first {PLOT_MAX_FIGURES} plots are drawn")
    for number, record in enumerate(records[:PLOT_MAX_FIGURES], start=1):
        try:
            kind = record.get("kind") if type(record) is dict else None
            draw = _DRAW.get(kind) if type(kind) is str else None
            if draw is None:
                raise PlotRefused("it is not a plot dlplot makes")
            with np.errstate(all="ignore"):
                sketches.figures.append(figure_to_dict(draw(record, number)))
        except (PlotRefused, ValueError) as exc:
            reason = str(exc) if isinstance(exc, PlotRefused) else "it is too large to draw"
            sketches.notes.append(f"plot {number} was not drawn: {reason}")
    return sketches


# ----- a returned value ---------------------------------------------------------------------


def _array_text(array: np.ndarray[Any, Any]) -> str:
    return np.array2string(array, threshold=200, precision=6, max_line_width=88, separator=", ")


def value_text(value: Any, depth: int = 0) -> str:
    """A returned value written out (plain data only ever reaches here), cut at MAX_TEXT."""
    if isinstance(value, np.ndarray):
        text = _array_text(value)
    elif isinstance(value, Unsupported):
        text = f"<{value.type_name}: not plain data, so it cannot be shown>"
    elif isinstance(value, tuple | list) and depth < 4:
        inner = ", ".join(value_text(item, depth + 1) for item in value[:50])
        more = ", …" if len(value) > 50 else ""
        text = (
            f"({inner}{more}{',' if len(value) == 1 else ''})"
            if isinstance(value, tuple)
            else f"[{inner}{more}]"
        )
    elif isinstance(value, dict) and depth < 4:
        items = list(value.items())[:50]
        text = "{" + ", ".join(f"{k!r}: {value_text(v, depth + 1)}" for k, v in items) + "}"
    else:
        text = repr(value)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + " …"


def describe_value(value: Any) -> dict[str, Any]:
    """What the page shows of a returned value: its type, shape and dtype, and the value."""
    if isinstance(value, np.ndarray):
        kind, shape, dtype = "ndarray", list(value.shape), str(value.dtype)
    elif isinstance(value, Unsupported):
        kind, shape, dtype = "unsupported", None, None
    else:
        kind = "None" if value is None else type(value).__name__
        shape = [len(value)] if isinstance(value, tuple | list | dict) else None
        dtype = None
    items = None
    if isinstance(value, tuple | list):
        items = [
            {"index": i, **{k: v for k, v in describe_value(item).items() if k != "items"}}
            for i, item in enumerate(value[:8])
        ]
    return {"type": kind, "shape": shape, "dtype": dtype, "text": value_text(value), "items": items}


def _vector_figure(vector: np.ndarray[Any, Any], title: str) -> Figure:
    index = list(range(vector.size))
    if vector.size <= BAR_MAX:
        trace: dict[str, Any] = {
            "type": "bar",
            "x": index,
            "y": _numbers(vector),
            "marker": {"color": COLOURS[0]},
        }
    else:
        trace = {
            "type": "scatter",
            "mode": "lines",
            "x": index,
            "y": _numbers(vector),
            "line": {"color": COLOURS[0]},
        }
    return {"data": [trace], "layout": _layout(title, "index", "value")}


def _array_figure(array: np.ndarray[Any, Any], label: str) -> Figure | None:
    """A figure for a numeric array, chosen by its dimensionality; None for a scalar."""
    if array.dtype.kind not in "biuf" or array.size < 2:
        return None
    data = array.astype(np.float64)
    squeezed = data.reshape([n for n in data.shape if n != 1] or [1])
    if squeezed.ndim == 1:
        vector = squeezed[:PLOT_MAX_VALUES]
        return _vector_figure(vector, f"{label}: shape {tuple(array.shape)}")
    plane = squeezed if squeezed.ndim == 2 else squeezed[(0,) * (squeezed.ndim - 2)]
    rows = max(1, PLOT_MAX_VALUES // max(plane.shape[1], 1))
    plane = plane[:rows, :PLOT_MAX_VALUES]
    note = "" if squeezed.ndim == 2 else ", its first 2-D slice"
    layout = _layout(f"{label}: shape {tuple(array.shape)}{note}", "column", "row")
    layout["yaxis"]["autorange"] = "reversed"
    # A small matrix reads by its indices: one tick per row and column.
    if plane.shape[0] <= 20:
        layout["yaxis"]["dtick"] = 1
    if plane.shape[1] <= 20:
        layout["xaxis"]["dtick"] = 1
    return {"data": [_heatmap_trace(plane)], "layout": layout}


def value_figures(value: Any) -> list[Figure]:
    """Figures of a returned value: an array by its dimensionality, or a tuple's arrays."""
    candidates: list[tuple[str, Any]] = [("your value", value)]
    if isinstance(value, tuple | list):
        candidates = [(f"item {i}", item) for i, item in enumerate(value)]
    figures = []
    for label, item in candidates:
        if isinstance(item, np.ndarray):
            with np.errstate(all="ignore"):
                figure = _array_figure(item, label)
            if figure is not None:
                try:
                    figures.append(figure_to_dict(figure))
                except ValueError:
                    continue
        if len(figures) >= MAX_VALUE_FIGURES:
            break
    return figures
