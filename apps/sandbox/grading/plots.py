"""Figure builders shared by exercises, so the course's pictures look like one course.

Each takes plain arrays (the learner's result and the reference's) and returns a
``plotly.graph_objects.Figure``. Labels are the author's strings; learner values are only
ever numbers. Keep figures small: a few hundred points per trace is plenty.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

LEARNER = "#2563eb"  # blue: always "yours"
REFERENCE = "#f97316"  # orange: always "reference"
NEUTRAL = "#6b7280"


def _title(fig: go.Figure, title: str, x: str = "", y: str = "") -> go.Figure:
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
) -> go.Figure:
    """Your curve against the reference's over the same x (a loss curve, a gradient norm...)."""
    fig = go.Figure()
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
) -> go.Figure:
    """Your values against the reference's, side by side (a distribution, a value function)."""
    fig = go.Figure()
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
) -> go.Figure:
    """A loss surface as contours with descent paths on top; ``paths`` maps name -> (n, 2).

    Name a path "yours" or "reference" to get the course's colours.
    """
    fig = go.Figure()
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
    fig: go.Figure | None = None,
) -> go.Figure:
    """Arrows (u, v) at the grid points (xs[j], ys[i]), drawn as short line segments."""
    fig = fig or go.Figure()
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
) -> go.Figure:
    """The unit circle and its image under a 2×2 matrix, with vectors (eigenvectors) drawn.

    ``vectors`` maps a name to a 2-vector; "yours" and "reference" get the course colours.
    """
    t = np.linspace(0, 2 * np.pi, 121)
    circle = np.stack([np.cos(t), np.sin(t)])
    image = np.asarray(matrix)[:2, :2] @ circle
    fig = go.Figure()
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
) -> go.Figure:
    """Samples as a normalised histogram against a density curve over ``grid``.

    Only the finite (real parts of the) samples are counted: a learner's NaN or infinity
    would leave no range to bin over.
    """
    fig = go.Figure()
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
) -> go.Figure:
    """Empirical survival functions P(X > x) on log-log axes: a power law is a straight line."""
    fig = go.Figure()
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
) -> go.Figure:
    """Two matrices side by side (a feature map, a weight matrix, a policy)."""
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=2, subplot_titles=["yours", "reference"])
    if yours is not None:
        fig.add_trace(go.Heatmap(z=yours, colorscale=colorscale, showscale=False), row=1, col=1)
    fig.add_trace(go.Heatmap(z=reference, colorscale=colorscale, showscale=False), row=1, col=2)
    fig.update_yaxes(autorange="reversed")
    return _title(fig, title)
