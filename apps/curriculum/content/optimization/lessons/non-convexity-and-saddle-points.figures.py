import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from apps.sandbox.grading.explorables import Explorable, Param

BLUE, ORANGE, GREEN, GREY, PURPLE = "#2563eb", "#f97316", "#10b981", "#6b7280", "#a855f7"


def _alpha(s: np.ndarray) -> np.ndarray:
    """Fraction of a semicircle on [-2, 2], shifted by s, that lies below zero."""
    s = np.clip(s, -2.0, 2.0)
    return 0.5 - s * np.sqrt(4 - s**2) / (4 * np.pi) - np.arcsin(s / 2) / np.pi


def _goe(rng: np.random.Generator, count: int, n: int) -> np.ndarray:
    a = rng.normal(size=(count, n, n))
    return (a + np.swapaxes(a, 1, 2)) / np.sqrt(2 * n)


def _grad(p: np.ndarray) -> np.ndarray:
    return np.array([p[0], p[1] ** 3 - p[1]])


def _hess(p: np.ndarray) -> np.ndarray:
    return np.diag([1.0, 3 * p[1] ** 2 - 1])


def figures() -> dict[str, go.Figure | Explorable]:
    rng = np.random.default_rng(7)

    # Index fraction of shifted GOE matrices against the semicircle formula, and P(minimum) by n.
    shifts = np.linspace(-2.5, 2.5, 11)
    base = np.linalg.eigvalsh(_goe(rng, 8, 150))
    sampled = [np.mean(base + s < 0) for s in shifts]
    dims = np.arange(1, 5)
    p_min = [np.mean(np.linalg.eigvalsh(_goe(rng, 40000, n)).min(axis=1) > 0) for n in dims]
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("index fraction of H = W + sI, n = 150", "P(every eigenvalue > 0), GOE"),
    )
    grid = np.linspace(-2.5, 2.5, 201)
    fig.add_scatter(
        x=grid,
        y=_alpha(grid),
        name="semicircle law α(s)",
        line={"color": ORANGE, "width": 3},
        row=1,
        col=1,
    )
    fig.add_scatter(
        x=shifts,
        y=sampled,
        mode="markers",
        name="8 sampled matrices",
        marker={"color": BLUE, "size": 9},
        row=1,
        col=1,
    )
    fig.add_scatter(
        x=dims,
        y=p_min,
        mode="lines+markers",
        name="sampled GOE",
        line={"color": BLUE},
        row=1,
        col=2,
    )
    fig.add_scatter(
        x=dims,
        y=0.5**dims,
        mode="lines+markers",
        name="independent signs: 2^(−n)",
        line={"color": GREY, "dash": "dash"},
        row=1,
        col=2,
    )
    fig.update_yaxes(type="log", row=1, col=2)
    fig.update_xaxes(title_text="shift s (larger at lower loss)", row=1, col=1)
    fig.update_xaxes(title_text="dimension n", dtick=1, row=1, col=2)
    fig.update_layout(
        title={"text": "random Hessians: minima are rare unless the spectrum is shifted up"},
        height=400,
    )

    # Paths near the saddle of f = x^2/2 - y^2/2 + y^4/4.
    def gd(start, noise):
        p, path = np.array(start, dtype=float), [np.array(start, dtype=float)]
        for step in noise:
            p = p - 0.1 * _grad(p) + step
            path.append(p.copy())
        return np.array(path)

    def newton(start, steps, absolute):
        p, path = np.array(start, dtype=float), [np.array(start, dtype=float)]
        for _ in range(steps):
            values, vectors = np.linalg.eigh(_hess(p))
            if absolute:
                values = np.abs(values)
            p = p - vectors @ ((vectors.T @ _grad(p)) / values)
            path.append(p.copy())
        return np.array(path)

    runs = {
        "gradient descent from (1, 0), no noise": (gd([1.0, 0.0], np.zeros((120, 2))), GREY),
        "gradient descent from (1, 0), noise 10⁻³": (
            gd([1.0, 0.0], 1e-3 * rng.normal(size=(120, 2))),
            BLUE,
        ),
        "Newton from (1, 0.3)": (newton([1.0, 0.3], 6, False), ORANGE),
        "saddle-free Newton from (1, 0.3)": (newton([1.0, 0.3], 8, True), GREEN),
    }
    xs, ys = np.linspace(-1.2, 1.2, 60), np.linspace(-1.5, 1.5, 60)
    gx, gy = np.meshgrid(xs, ys)
    saddle = go.Figure()
    saddle.add_contour(
        x=xs,
        y=ys,
        z=0.5 * gx**2 - 0.5 * gy**2 + 0.25 * gy**4,
        colorscale="Greys",
        showscale=False,
        ncontours=24,
        contours={"coloring": "lines"},
        name="f",
    )
    for name, (path, colour) in runs.items():
        saddle.add_scatter(
            x=path[:, 0],
            y=path[:, 1],
            mode="lines+markers",
            marker={"size": 4},
            name=name,
            line={"color": colour},
        )
    saddle.add_scatter(
        x=[0.0, 0.0, 0.0],
        y=[0.0, 1.0, -1.0],
        mode="markers",
        marker={"size": 11, "color": PURPLE, "symbol": "x"},
        name="saddle (0, 0) and minima (0, ±1)",
    )
    saddle.update_layout(
        title={"text": "f = x²/2 − y²/2 + y⁴/4: noise escapes the saddle, Newton converges to it"},
        xaxis_title="x",
        yaxis_title="y",
        height=440,
    )
    return {"random-hessians": fig, "saddle": saddle, "saddle-escape": saddle_escape_explorable()}


# ----- explorable: the starting offset and the noise, gradient descent against Newton ---------
ESCAPE_STEPS = 150
OFFSETS = [0.0, 1e-8, 1e-6, 1e-4, 1e-2, 0.1, 0.3, 0.6]
NOISE_LEVELS = [0.0, 1e-6, 1e-4, 1e-2]
# One fixed noise stream, scaled by the slider: the frames differ by the noise level only.
_NOISE = np.random.default_rng(11).normal(size=(ESCAPE_STEPS, 2))
_LANDSCAPE = np.linspace(-1.2, 1.2, 41), np.linspace(-1.5, 1.5, 41)


def _escape_paths(offset: float, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Gradient descent (eta = 0.1) and pure Newton from (1, offset), the same noise added to
    every step of both."""
    paths = []
    for newton in (False, True):
        p = np.array([1.0, offset])
        path = [p.copy()]
        for step in _NOISE * noise:
            if newton:
                curvature = 3 * p[1] ** 2 - 1
                if abs(curvature) < 1e-9:  # the Newton step is undefined on y^2 = 1/3
                    break
                p = p - _grad(p) / np.array([1.0, curvature]) + step
            else:
                p = p - 0.1 * _grad(p) + step
            path.append(p.copy())
        paths.append(np.array(path))
    return paths[0], paths[1]


def _escape_frame(offset: float, noise: float) -> dict:
    gd, newton = _escape_paths(offset, noise)
    near_minimum = np.flatnonzero(np.abs(gd[:, 1]) > 0.9)
    gd_says = (
        f"GD near a minimum (|y| > 0.9) after {near_minimum[0]} steps"
        if near_minimum.size
        else f"GD still near the saddle after {ESCAPE_STEPS} steps"
    )
    newton_says = (
        "Newton reaches a minimum" if abs(newton[-1, 1]) > 0.5 else "Newton converges to the saddle"
    )
    xs, ys = _LANDSCAPE
    gx, gy = np.meshgrid(xs, ys)
    steps = np.arange(ESCAPE_STEPS + 1)
    return {
        "data": [
            {
                "type": "contour",
                "x": xs,
                "y": ys,
                "z": 0.5 * gx**2 - 0.5 * gy**2 + 0.25 * gy**4,
                "colorscale": "Greys",
                "showscale": False,
                "ncontours": 20,
                "contours": {"coloring": "lines"},
                "hoverinfo": "skip",
                "name": "f",
            },
            {
                "type": "scatter",
                "x": gd[:, 0],
                "y": gd[:, 1],
                "mode": "lines+markers",
                "marker": {"size": 3},
                "line": {"color": BLUE},
                "name": "gradient descent, η = 0.1",
            },
            {
                "type": "scatter",
                "x": newton[:, 0],
                "y": newton[:, 1],
                "mode": "lines+markers",
                "marker": {"size": 5},
                "line": {"color": ORANGE},
                "name": "Newton",
            },
            {
                "type": "scatter",
                "x": steps[: len(gd)],
                "y": np.maximum(np.abs(gd[:, 1]), 1e-12),
                "mode": "lines",
                "line": {"color": BLUE},
                "xaxis": "x2",
                "yaxis": "y2",
                "showlegend": False,
                "name": "|y|, gradient descent",
            },
            {
                "type": "scatter",
                "x": steps[: len(newton)],
                "y": np.maximum(np.abs(newton[:, 1]), 1e-12),
                "mode": "lines",
                "line": {"color": ORANGE},
                "xaxis": "x2",
                "yaxis": "y2",
                "showlegend": False,
                "name": "|y|, Newton",
            },
        ],
        "layout": {
            "title": {"text": f"start y = {offset:g}, noise {noise:g}: {gd_says}; {newton_says}"},
            "xaxis": {"title": {"text": "x"}, "range": [-1.2, 1.2], "domain": [0, 0.48]},
            "yaxis": {"title": {"text": "y"}, "range": [-1.5, 1.5]},
            "xaxis2": {"title": {"text": "step"}, "range": [0, ESCAPE_STEPS], "domain": [0.58, 1]},
            "yaxis2": {
                "title": {"text": "|y|, distance along the escape direction"},
                "type": "log",
                "range": [-12, 0.5],
                "exponentformat": "power",
                "anchor": "x2",
            },
            "legend": {"orientation": "h", "y": -0.2},
            "height": 460,
        },
    }


def saddle_escape_explorable() -> Explorable:
    return Explorable(
        params=[
            Param(
                "offset", "starting offset $y_0$ along the escape direction", OFFSETS, initial=1e-6
            ),
            Param("noise", "noise added per step", NOISE_LEVELS, initial=0.0),
        ],
        build=_escape_frame,
    )
