from functools import cache

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from apps.sandbox.grading.explorables import Explorable, Param

BLUE, ORANGE, GREEN, GREY = "#2563eb", "#f97316", "#10b981", "#6b7280"


def _cauchy_shrink(z: np.ndarray, lam: float, scale: float) -> np.ndarray:
    """argmin_w (w - z)^2 / 2 + lam log(1 + w^2 / scale^2), by a fine grid (the objective is not convex)."""
    grid = np.linspace(-4.5, 4.5, 3001)
    objective = (
        0.5 * (grid[None, :] - z[:, None]) ** 2 + lam * np.log1p((grid / scale) ** 2)[None, :]
    )
    return grid[np.argmin(objective, axis=1)]


def _soft(z: np.ndarray, t: float) -> np.ndarray:
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


def figures() -> dict[str, go.Figure | Explorable]:
    # Priors as penalties, and what each does to one coefficient.
    w = np.linspace(-3, 3, 301)
    pen = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=(
            "penalty = −log prior (up to a constant)",
            "the minimiser of ½(w − z)² + penalty",
        ),
    )
    for y, name, colour in (
        (0.5 * w**2, "Gaussian prior: w²/2", BLUE),
        (np.abs(w), "Laplace prior: |w|", ORANGE),
        (np.log1p(w**2), "Cauchy prior: log(1 + w²)", GREEN),
    ):
        pen.add_scatter(x=w, y=y, name=name, line={"color": colour, "width": 3}, row=1, col=1)
    z = np.linspace(-4, 4, 201)
    pen.add_scatter(x=z, y=z, name="no penalty", line={"color": GREY, "dash": "dot"}, row=1, col=2)
    pen.add_scatter(
        x=z, y=z / 2, name="L2, λ = 1: z / 2", line={"color": BLUE}, showlegend=False, row=1, col=2
    )
    pen.add_scatter(
        x=z,
        y=_soft(z, 1.0),
        name="L1, λ = 1: soft threshold",
        line={"color": ORANGE},
        showlegend=False,
        row=1,
        col=2,
    )
    pen.add_scatter(
        x=z,
        y=_cauchy_shrink(z, 0.6, 0.3),
        name="Cauchy: 0.6 log(1 + (w/0.3)²)",
        line={"color": GREEN},
        showlegend=False,
        row=1,
        col=2,
    )
    pen.update_xaxes(title_text="w", row=1, col=1)
    pen.update_xaxes(title_text="least-squares value z", row=1, col=2)
    pen.update_layout(
        title={"text": "three priors, three ways of shrinking a coefficient"}, height=400
    )

    # The same loss constrained to an L2 ball and to an L1 ball of radius 1.
    centre = np.array([2.0, 0.45])
    q = np.array([[1.0, 0.35], [0.35, 0.6]])
    xs, ys = np.linspace(-1.5, 2.6, 50), np.linspace(-1.5, 1.5, 40)
    gx, gy = np.meshgrid(xs, ys)
    d = np.stack([gx - centre[0], gy - centre[1]], axis=-1)
    loss = np.einsum("...i,ij,...j->...", d, q, d)
    angle = np.linspace(0, 2 * np.pi, 4001)
    circle = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    diamond = circle / np.abs(circle).sum(axis=1, keepdims=True)

    def best(points: np.ndarray) -> np.ndarray:
        diff = points - centre
        return points[np.argmin(np.einsum("ni,ij,nj->n", diff, q, diff))]

    balls = go.Figure()
    balls.add_contour(
        x=xs,
        y=ys,
        z=loss,
        colorscale="Greys",
        showscale=False,
        ncontours=25,
        contours={"coloring": "lines"},
        name="loss",
    )
    for shape, name, colour in ((circle, "L2 ball", BLUE), (diamond, "L1 ball", ORANGE)):
        shown = shape[::20]
        balls.add_scatter(
            x=shown[:, 0], y=shown[:, 1], name=name, line={"color": colour, "width": 3}
        )
        point = best(shape)
        balls.add_scatter(
            x=[point[0]],
            y=[point[1]],
            mode="markers",
            marker={"size": 12, "color": colour, "symbol": "x"},
            name=f"{name} solution ({point[0]:.2f}, {point[1]:.2f})",
        )
    balls.add_scatter(
        x=[centre[0]],
        y=[centre[1]],
        mode="markers",
        marker={"size": 10, "color": GREY},
        name="unconstrained minimum",
    )
    balls.update_yaxes(scaleanchor="x", scaleratio=1)
    balls.update_layout(
        title={
            "text": "the same loss inside two balls of radius 1: the L1 solution sits on a corner"
        },
        xaxis_title="w₁",
        yaxis_title="w₂",
        height=420,
    )

    return {"penalties": pen, "balls": balls, "paths": paths_explorable()}


# ----- explorable: lambda along the regularisation paths -------------------------------------
PALETTE = [BLUE, ORANGE, GREEN, GREY, "#a855f7"]


@cache
def _regularisation_paths() -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """Lambdas from just above lambda_max down to lambda_max / 1000, lambda_max, and the lasso
    (ISTA, warm-started along the path) and ridge solutions at each, one row per lambda."""
    rng = np.random.default_rng(4)
    n, dim = 60, 5
    x = rng.normal(size=(n, dim)) @ np.diag([1.0, 0.8, 1.2, 0.6, 1.0])
    target = x @ np.array([1.5, -1.0, 0.6, 0.0, 0.3]) + 0.5 * rng.normal(size=n)
    gram, corr = x.T @ x / n, x.T @ target / n
    step = 1.0 / np.linalg.eigvalsh(gram).max()
    lam_max = float(np.abs(corr).max())
    lams = lam_max * np.logspace(0.05, -3, 40)
    lasso, w_now = [], np.zeros(dim)
    for lam in lams:  # warm starts along the path
        for _ in range(300):
            w_now = _soft(w_now - step * (gram @ w_now - corr), step * lam)
        lasso.append(w_now.copy())
    ridge = [np.linalg.solve(gram + lam * np.eye(dim), corr) for lam in lams]
    return lams, lam_max, np.array(lasso), np.array(ridge)


def _paths_frame(lam: float) -> dict:
    lams, lam_max, lasso, ridge = _regularisation_paths()
    at = int(np.argmin(np.abs(lams - lam)))
    data: list[dict] = []
    for panel, (axes, path) in enumerate(((("x", "y"), lasso), (("x2", "y2"), ridge))):
        for j in range(path.shape[1]):
            data.append(
                {
                    "type": "scatter",
                    "x": lams,
                    "y": path[:, j],
                    "mode": "lines",
                    "name": f"w{j + 1}",
                    "legendgroup": f"w{j + 1}",
                    "showlegend": panel == 0,
                    "line": {"color": PALETTE[j], "width": 1.5},
                    "xaxis": axes[0],
                    "yaxis": axes[1],
                    "hoverinfo": "skip",
                }
            )
        data.append(
            {
                "type": "scatter",
                "x": [lams[at]] * path.shape[1],
                "y": path[at],
                "mode": "markers",
                "marker": {"color": PALETTE, "size": 10, "line": {"color": "white", "width": 1}},
                "name": f"at λ = {lams[at]:.3g}",
                "showlegend": False,
                "xaxis": axes[0],
                "yaxis": axes[1],
            }
        )
    zeros = int((lasso[at] == 0).sum())
    smallest = int(np.argmin(np.abs(ridge[at])))
    axis = {"type": "log", "autorange": "reversed", "title": {"text": "λ (log scale)"}}
    return {
        "data": data,
        "layout": {
            "title": {
                "text": (
                    f"λ = {lams[at]:.3g} (λ/λ_max = {lams[at] / lam_max:.2g}): lasso {zeros} of 5"
                    f" exactly 0; ridge smallest |w{smallest + 1}| = {abs(ridge[at][smallest]):.2g}"
                )
            },
            "xaxis": {**axis, "domain": [0, 0.46]},
            "yaxis": {"title": {"text": "coefficient w_j"}, "range": [-1.2, 1.7]},
            "xaxis2": {**axis, "domain": [0.54, 1], "anchor": "y2"},
            "yaxis2": {"range": [-1.2, 1.7], "anchor": "x2"},
            "annotations": [
                {
                    "text": "lasso (L1)",
                    "x": 0.23,
                    "y": 1.0,
                    "xref": "paper",
                    "yref": "paper",
                    "showarrow": False,
                    "yanchor": "bottom",
                },
                {
                    "text": "ridge (L2)",
                    "x": 0.77,
                    "y": 1.0,
                    "xref": "paper",
                    "yref": "paper",
                    "showarrow": False,
                    "yanchor": "bottom",
                },
            ],
            "legend": {"orientation": "h", "y": -0.25},
            "height": 440,
        },
    }


def paths_explorable() -> Explorable:
    lams = _regularisation_paths()[0]
    return Explorable(
        params=[
            Param(
                "lam",
                "regularisation strength $\\lambda$",
                [float(v) for v in lams],
                initial=float(lams[4]),
            )
        ],
        build=_paths_frame,
    )
