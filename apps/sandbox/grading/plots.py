"""Figure builders shared by exercises, so the course's pictures look like one course.

Each takes plain arrays (the learner's result and the reference's) and returns a
`PlainFigure` (plain.py): the figure's Plotly JSON, with the ``go.Figure`` methods exercises
use to add to it (``add_scatter``, ``update_layout``, ``add_hline``...), built without
plotly.graph_objects (which validates every property: 40-50% of a softmax grading's CPU).
Labels are the author's strings; learner values are only ever numbers. Keep
figures small: a few hundred points per trace is plenty.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from apps.sandbox.grading.plain import PlainFigure, subplots

LEARNER = "#2563eb"  # blue: always "yours"
REFERENCE = "#f97316"  # orange: always "reference"
NEUTRAL = "#6b7280"


def _title(fig: PlainFigure, title: str, x: str = "", y: str = "") -> PlainFigure:
    fig.update_layout(title={"text": title}, xaxis_title=x, yaxis_title=y, height=380)
    return fig


def compare_lines(
    x: np.ndarray,
    yours: np.ndarray | None,
    reference: np.ndarray,
    *,
    title: str,
    x_label: str = "",
    y_label: str = "",
    log_y: bool = False,
) -> PlainFigure:
    """Your curve against the reference's over the same x (a loss curve, a gradient norm...)."""
    fig = PlainFigure()
    fig.add_scatter(x=x, y=reference, name="reference", line={"color": REFERENCE, "width": 3})
    if yours is not None:
        fig.add_scatter(x=x, y=yours, name="yours", line={"color": LEARNER, "dash": "dash"})
    if log_y:
        fig.update_yaxes(type="log")
    return _title(fig, title, x_label, y_label)


def compare_bars(
    labels: Sequence[str] | np.ndarray,
    yours: np.ndarray | None,
    reference: np.ndarray,
    *,
    title: str,
    y_label: str = "",
) -> PlainFigure:
    """Your values against the reference's, side by side (a distribution, a value function)."""
    fig = PlainFigure()
    fig.add_bar(x=list(labels), y=reference, name="reference", marker_color=REFERENCE)
    if yours is not None:
        fig.add_bar(x=list(labels), y=yours, name="yours", marker_color=LEARNER)
    fig.update_layout(barmode="group")
    return _title(fig, title, "", y_label)


def contour_with_paths(
    xs: np.ndarray,
    ys: np.ndarray,
    z: np.ndarray,
    paths: dict[str, np.ndarray],
    *,
    title: str,
) -> PlainFigure:
    """A loss surface as contours with descent paths on top; ``paths`` maps name -> (n, 2).

    Name a path "yours" or "reference" to get the course's colours.
    """
    fig = PlainFigure()
    fig.add_contour(
        x=xs,
        y=ys,
        z=z,
        colorscale="Greys",
        showscale=False,
        ncontours=25,
        contours={"coloring": "lines"},
        name="loss",
    )
    colours = {"yours": LEARNER, "reference": REFERENCE}
    for name, path in paths.items():
        path = np.asarray(path)
        fig.add_scatter(
            x=path[:, 0],
            y=path[:, 1],
            mode="lines+markers",
            name=name,
            marker={"size": 4},
            line={"color": colours.get(name, NEUTRAL)},
        )
    return _title(fig, title, "x₁", "x₂")


def vector_field(
    xs: np.ndarray,
    ys: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    *,
    title: str,
    scale: float = 0.1,
    name: str = "gradient",
    color: str = NEUTRAL,
    fig: PlainFigure | None = None,
) -> PlainFigure:
    """Arrows (u, v) at the grid points (xs[j], ys[i]), drawn as short line segments."""
    fig = PlainFigure() if fig is None else fig
    gx, gy = np.meshgrid(xs, ys)
    norm = np.hypot(u, v).max() or 1.0
    x_seg, y_seg = [], []
    for x0, y0, du, dv in zip(gx.ravel(), gy.ravel(), np.ravel(u), np.ravel(v), strict=True):
        x1, y1 = x0 + scale * du / norm, y0 + scale * dv / norm
        x_seg += [float(x0), float(x1), None]
        y_seg += [float(y0), float(y1), None]
    fig.add_scatter(x=x_seg, y=y_seg, mode="lines", name=name, line={"color": color, "width": 1.5})
    fig.add_scatter(
        x=gx.ravel(),
        y=gy.ravel(),
        mode="markers",
        marker={"size": 3, "color": color},
        showlegend=False,
        hoverinfo="skip",
    )
    return _title(fig, title, "x₁", "x₂")


def transformed_circle(
    matrix: np.ndarray,
    vectors: dict[str, np.ndarray],
    *,
    title: str,
) -> PlainFigure:
    """The unit circle and its image under a 2×2 matrix, with vectors (eigenvectors) drawn.

    ``vectors`` maps a name to a 2-vector; "yours" and "reference" get the course colours.
    """
    t = np.linspace(0, 2 * np.pi, 121)
    circle = np.stack([np.cos(t), np.sin(t)])
    image = np.asarray(matrix)[:2, :2] @ circle
    fig = PlainFigure()
    fig.add_scatter(
        x=circle[0], y=circle[1], name="unit circle", line={"color": NEUTRAL, "dash": "dot"}
    )
    fig.add_scatter(x=image[0], y=image[1], name="A · circle", line={"color": "#10b981"})
    colours = {"yours": LEARNER, "reference": REFERENCE}
    for name, vector in vectors.items():
        vector = np.real(np.asarray(vector, dtype=complex)).ravel()[:2]
        fig.add_scatter(
            x=[0, vector[0]],
            y=[0, vector[1]],
            mode="lines+markers",
            name=name,
            line={"color": colours.get(name, NEUTRAL), "width": 3},
        )
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return _title(fig, title, "x₁", "x₂")


def histogram_with_density(
    samples: np.ndarray | None,
    grid: np.ndarray,
    density: np.ndarray,
    *,
    title: str,
    reference_density: np.ndarray | None = None,
    bins: int = 40,
) -> PlainFigure:
    """Samples as a normalised histogram against a density curve over ``grid``.

    Only the finite (real parts of the) samples are counted: a learner's NaN or infinity
    would leave no range to bin over.
    """
    fig = PlainFigure()
    values = np.real(np.ravel(samples if samples is not None else []))[:100_000]
    values = values[np.isfinite(values)]
    if values.size:
        counts, edges = np.histogram(values, bins=bins, density=True)
        fig.add_bar(
            x=(edges[:-1] + edges[1:]) / 2,
            y=counts,
            width=np.diff(edges),
            name="samples",
            marker_color=LEARNER,
            opacity=0.55,
        )
    fig.add_scatter(x=grid, y=density, name="density", line={"color": REFERENCE, "width": 3})
    if reference_density is not None:
        fig.add_scatter(
            x=grid, y=reference_density, name="reference", line={"color": NEUTRAL, "dash": "dash"}
        )
    return _title(fig, title, "x", "density")


def loglog_tail(
    samples: dict[str, np.ndarray],
    *,
    title: str,
    points: int = 200,
) -> PlainFigure:
    """Empirical survival functions P(X > x) on log-log axes: a power law is a straight line."""
    fig = PlainFigure()
    palette = [LEARNER, REFERENCE, "#10b981", NEUTRAL]
    for index, (name, values) in enumerate(samples.items()):
        ordered = np.sort(np.asarray(values, dtype=float)[np.asarray(values) > 0])
        if ordered.size == 0:
            continue
        survival = 1.0 - np.arange(ordered.size) / ordered.size
        pick = np.unique(
            np.geomspace(1, ordered.size, num=min(points, ordered.size)).astype(int) - 1
        )
        fig.add_scatter(
            x=ordered[pick],
            y=survival[pick],
            mode="lines",
            name=name,
            line={"color": palette[index % len(palette)]},
        )
    fig.update_xaxes(type="log")
    fig.update_yaxes(type="log")
    return _title(fig, title, "x", "P(X > x)")


def heatmap_pair(
    yours: np.ndarray | None,
    reference: np.ndarray,
    *,
    title: str,
    colorscale: str = "RdBu",
) -> PlainFigure:
    """Two matrices side by side (a feature map, a weight matrix, a policy)."""
    fig = subplots(2, titles=["yours", "reference"])
    if yours is not None:
        fig.add_heatmap(z=yours, colorscale=colorscale, showscale=False, row=1, col=1)
    fig.add_heatmap(z=reference, colorscale=colorscale, showscale=False, row=1, col=2)
    fig.update_yaxes(autorange="reversed")
    return _title(fig, title)


# --- the failure figure: one failing case, yours against the reference ------------------------
# Built as plain Plotly JSON (no graph_objects on the grading hot path); tests validate it
# against Plotly's schema. NaN and infinities go out as null, with markers saying where.
FAILURE = "#dc2626"  # red: a non-finite entry of yours
WORST = 3  # how many of the worst-off entries are ringed
MAX_POINTS = 400  # per 1-D trace
MAX_SIDE = 60  # per heatmap side


def _plain(values: np.ndarray) -> list[Any]:
    """Numbers as JSON-safe floats (non-finite -> None), nested like ``values``."""
    array = np.asarray(values, dtype=np.float64)
    clean = np.where(np.isfinite(array), array, np.nan)
    return (
        [None if np.isnan(x) else float(x) for x in clean.ravel()]
        if array.ndim <= 1
        else [_plain(row) for row in clean]
    )


def _worst(yours: np.ndarray, reference: np.ndarray) -> list[tuple[int, ...]]:
    finite = np.isfinite(yours) & np.isfinite(reference)
    error = np.where(finite, np.abs(yours - reference), -1.0)
    order = np.argsort(error, axis=None)[::-1][:WORST]
    return [
        tuple(int(i) for i in np.unravel_index(int(flat), error.shape))
        for flat in order
        if error.flat[int(flat)] > 0
    ]


def _nonfinite_text(value: float) -> str:
    return "NaN" if np.isnan(value) else ("+inf" if value > 0 else "-inf")


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    return {"title": {"text": title}, "height": 400, "showlegend": True, **extra}


def _vector_failure(yours: np.ndarray, reference: np.ndarray, title: str) -> dict[str, Any]:
    step = max(1, -(-reference.size // MAX_POINTS))
    index = np.arange(reference.size)[::step]
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": index.tolist(),
            "y": _plain(reference[::step]),
            "name": "reference",
            "mode": "lines+markers",
            "line": {"color": REFERENCE, "width": 3},
        },
        {
            "type": "scatter",
            "x": index.tolist(),
            "y": _plain(yours[::step]),
            "name": "yours",
            "mode": "lines+markers",
            "line": {"color": LEARNER, "dash": "dash"},
        },
    ]
    bad = np.flatnonzero(~np.isfinite(yours) & np.isfinite(reference))[:50]
    if bad.size:
        traces.append(
            {
                "type": "scatter",
                "x": bad.tolist(),
                "y": _plain(reference[bad]),
                "mode": "markers+text",
                "name": "yours is NaN or infinite",
                "text": [_nonfinite_text(float(yours[i])) for i in bad],
                "textposition": "top center",
                "marker": {"color": FAILURE, "symbol": "x", "size": 12},
            }
        )
    worst = [i[0] for i in _worst(yours, reference)]
    if worst:
        traces.append(
            {
                "type": "scatter",
                "x": worst,
                "y": _plain(yours[worst]),
                "mode": "markers",
                "name": "largest differences",
                "marker": {
                    "color": FAILURE,
                    "symbol": "circle-open",
                    "size": 16,
                    "line": {"width": 2},
                },
            }
        )
    return {
        "data": traces,
        "layout": _layout(
            title, xaxis={"title": {"text": "index"}}, yaxis={"title": {"text": "value"}}
        ),
    }


def _panel_axes(count: int) -> dict[str, Any]:
    gap = 0.06
    width = (1 - gap * (count - 1)) / count
    axes: dict[str, Any] = {}
    for n in range(count):
        suffix = "" if n == 0 else str(n + 1)
        start = n * (width + gap)
        axes[f"xaxis{suffix}"] = {
            "domain": [start, start + width],
            "anchor": f"y{suffix}",
            "showgrid": False,
        }
        axes[f"yaxis{suffix}"] = {
            "anchor": f"x{suffix}",
            "autorange": "reversed",
            "showgrid": False,
        }
    return axes


def _marks(
    points: list[tuple[int, ...]], panel: str, name: str, symbol: str, show: bool
) -> dict[str, Any]:
    return {
        "type": "scatter",
        "x": [p[1] for p in points],
        "y": [p[0] for p in points],
        "xaxis": f"x{panel}",
        "yaxis": f"y{panel}",
        "mode": "markers",
        "name": name,
        "showlegend": show,
        "marker": {"color": FAILURE, "symbol": symbol, "size": 14, "line": {"width": 2}},
    }


def _matrix_failure(yours: np.ndarray, reference: np.ndarray, title: str) -> dict[str, Any]:
    yours, reference = yours[:MAX_SIDE, :MAX_SIDE], reference[:MAX_SIDE, :MAX_SIDE]
    finite = reference[np.isfinite(reference)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    difference = np.abs(yours - reference)
    scale = {"zmin": low, "zmax": high, "colorscale": "Viridis", "showscale": False}
    traces: list[dict[str, Any]] = [
        {"type": "heatmap", "z": _plain(yours), "name": "yours", **scale},
        {
            "type": "heatmap",
            "z": _plain(reference),
            "name": "reference",
            "xaxis": "x2",
            "yaxis": "y2",
            **scale,
        },
        {
            "type": "heatmap",
            "z": _plain(difference),
            "name": "|yours − reference|",
            "xaxis": "x3",
            "yaxis": "y3",
            "colorscale": "Reds",
            "showscale": True,
        },
    ]
    bad = [tuple(int(i) for i in p) for p in np.argwhere(~np.isfinite(yours))[:100]]
    if bad:
        traces.append(_marks(bad, "", "yours is NaN or infinite", "x", True))
        traces.append(_marks(bad, "3", "yours is NaN or infinite", "x", False))
    worst = _worst(yours, reference)
    if worst:
        traces.append(_marks(worst, "", "largest differences", "circle-open", True))
        traces.append(_marks(worst, "3", "largest differences", "circle-open", False))
    names = ["yours", "reference", "|yours − reference|"]
    annotations = [
        {
            "text": name,
            "showarrow": False,
            "xref": f"x{'' if n == 0 else n + 1} domain",
            "yref": "paper",
            "x": 0.5,
            "y": 1.0,
            "yanchor": "bottom",
        }
        for n, name in enumerate(names)
    ]
    return {"data": traces, "layout": _layout(title, annotations=annotations, **_panel_axes(3))}


def _scalar_failure(
    labels: Sequence[str], yours: Sequence[float | None], reference: Sequence[float], title: str
) -> dict[str, Any]:
    ys = np.array([np.nan if v is None else v for v in yours], dtype=np.float64)
    refs = np.asarray(reference, dtype=np.float64)
    traces: list[dict[str, Any]] = [
        {
            "type": "bar",
            "x": list(labels),
            "y": _plain(refs),
            "name": "reference",
            "marker": {"color": REFERENCE},
        },
        {
            "type": "bar",
            "x": list(labels),
            "y": _plain(ys),
            "name": "yours",
            "marker": {"color": LEARNER},
        },
    ]
    bad = [i for i in range(len(labels)) if not np.isfinite(ys[i]) and np.isfinite(refs[i])]
    if bad:
        traces.append(
            {
                "type": "scatter",
                "x": [labels[i] for i in bad],
                "y": _plain(refs[bad]),
                "mode": "markers+text",
                "name": "yours is NaN, infinite or missing",
                "text": [
                    "missing" if yours[i] is None else _nonfinite_text(float(ys[i])) for i in bad
                ],
                "textposition": "top center",
                "marker": {"color": FAILURE, "symbol": "x", "size": 14},
            }
        )
    worst = [p[0] for p in _worst(ys, refs)][:1]
    if worst:
        traces.append(
            {
                "type": "scatter",
                "x": [labels[i] for i in worst],
                "y": _plain(ys[worst]),
                "mode": "markers",
                "name": "largest difference",
                "marker": {
                    "color": FAILURE,
                    "symbol": "circle-open",
                    "size": 18,
                    "line": {"width": 2},
                },
            }
        )
    return {"data": traces, "layout": _layout(title, barmode="group")}


def failure_figure(
    yours: np.ndarray | None,
    reference: np.ndarray,
    *,
    title: str,
) -> dict[str, Any]:
    """One failing case drawn as yours against the reference, as plain Plotly JSON.

    A vector becomes two curves over the index, a matrix (or a batch, flattened to rows) three
    heatmaps (yours, reference, their difference); a single number becomes a pair of bars. NaN
    and infinite entries of yours are marked with a red cross, the worst-off entries ringed.
    When the shapes differ, both are drawn flattened so the learner sees what came back.
    """
    reference = np.asarray(reference, dtype=np.float64)
    if yours is None:
        yours = np.full_like(reference, np.nan)
    yours = np.asarray(yours, dtype=np.float64)
    if yours.shape != reference.shape:
        shape_title = f"{title} (shape {yours.shape}, expected {reference.shape})"
        size = max(yours.size, reference.size)
        padded = [
            np.concatenate([a.ravel(), np.full(size - a.size, np.nan)]) for a in (yours, reference)
        ]
        return _vector_failure(padded[0], padded[1], shape_title)
    if reference.ndim == 0:
        return _scalar_failure(["value"], [float(yours)], [float(reference)], title)
    if reference.ndim == 1:
        return _vector_failure(yours, reference, title)
    rows = reference.reshape(-1, reference.shape[-1])
    return _matrix_failure(yours.reshape(rows.shape), rows, title)


def scalar_failure_figure(
    labels: Sequence[str],
    yours: Sequence[float | None],
    reference: Sequence[float],
    *,
    title: str,
) -> dict[str, Any]:
    """A set of scalar cases (one bar pair per case), with the failing ones marked."""
    return _scalar_failure(labels, yours, reference, title)
