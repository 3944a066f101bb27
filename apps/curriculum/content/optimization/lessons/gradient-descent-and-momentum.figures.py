import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading.explorables import Explorable, Param


def figures() -> dict[str, go.Figure | Explorable]:
    a = np.diag([1.0, 25.0])
    x0 = np.array([-4.0, 1.5])
    lr = 0.075
    gd, x = [x0], x0.copy()
    for _ in range(40):
        x = x - lr * (a @ x)
        gd.append(x)
    mom, x, v = [x0], x0.copy(), np.zeros(2)
    for _ in range(40):
        v = 0.7 * v + a @ x
        x = x - 0.03 * v
        mom.append(x)
    xs, ys = np.linspace(-4.5, 1.0, 60), np.linspace(-2.0, 2.0, 60)
    gx, gy = np.meshgrid(xs, ys)
    fig = go.Figure()
    fig.add_contour(
        x=xs,
        y=ys,
        z=0.5 * (gx**2 + 25 * gy**2),
        colorscale="Greys",
        showscale=False,
        ncontours=20,
        contours={"coloring": "lines"},
        name="loss",
    )
    for path, name, colour in (
        (np.array(gd), "gradient descent, lr = 0.075", "#2563eb"),
        (np.array(mom), "momentum, lr = 0.03, beta = 0.7", "#f97316"),
    ):
        fig.add_scatter(
            x=path[:, 0],
            y=path[:, 1],
            mode="lines+markers",
            name=name,
            marker={"size": 4},
            line={"color": colour},
        )
    fig.update_layout(
        title={"text": "40 steps on f = (x1² + 25 x2²) / 2, condition number 25"},
        xaxis_title="x₁",
        yaxis_title="x₂",
        height=400,
    )
    return {"paths": fig, "momentum": momentum_explorable()}


# ----- explorable: learning rate and momentum on the same valley ---------------------------
CURVATURES = np.array([1.0, 25.0])
START = np.array([-4.0, 1.5])
STEPS = 40
LEARNING_RATES = [0.005, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1]
MOMENTA = [0.0, 0.3, 0.5, 0.7, 0.8, 0.9]
GRID = np.linspace(-4.5, 1.5, 41), np.linspace(-2.5, 2.5, 41)


def _heavy_ball(lr: float, beta: float) -> tuple[np.ndarray, np.ndarray]:
    """The path and the loss of momentum (beta = 0: plain gradient descent), cut off once
    it has clearly diverged so the numbers stay finite."""
    x, v = START.copy(), np.zeros(2)
    path, losses = [x], [0.5 * float(CURVATURES @ x**2)]
    for _ in range(STEPS):
        v = beta * v + CURVATURES * x
        x = x - lr * v
        if np.abs(x).max() > 1e3:
            break
        path.append(x)
        losses.append(0.5 * float(CURVATURES @ x**2))
    return np.array(path), np.array(losses)


def _momentum_frame(lr: float, beta: float) -> dict:
    path, losses = _heavy_ball(lr, beta)
    stable = lr * CURVATURES.max() < 2 * (1 + beta)
    verdict = f"loss {losses[-1]:.2g} after {STEPS} steps" if stable else "diverges"
    xs, ys = GRID
    gx, gy = np.meshgrid(xs, ys)
    return {
        "data": [
            {
                "type": "contour",
                "x": xs,
                "y": ys,
                "z": 0.5 * (gx**2 + 25 * gy**2),
                "colorscale": "Greys",
                "showscale": False,
                "ncontours": 16,
                "contours": {"coloring": "lines"},
                "name": "loss",
                "hoverinfo": "skip",
            },
            {
                "type": "scatter",
                "x": path[:, 0],
                "y": path[:, 1],
                "mode": "lines+markers",
                "marker": {"size": 4},
                "line": {"color": "#2563eb"},
                "name": "iterates",
            },
            {
                "type": "scatter",
                "x": np.arange(len(losses)),
                "y": np.maximum(losses, 1e-12),
                "mode": "lines",
                "line": {"color": "#f97316"},
                "name": "loss",
                "xaxis": "x2",
                "yaxis": "y2",
            },
        ],
        "layout": {
            "title": {"text": f"η = {lr:g}, β = {beta:g}: {verdict}"},
            "showlegend": False,
            "xaxis": {"title": {"text": "x₁"}, "range": [-4.5, 1.5], "domain": [0, 1]},
            "yaxis": {"title": {"text": "x₂"}, "range": [-2.5, 2.5], "domain": [0.52, 1]},
            "xaxis2": {"title": {"text": "step"}, "range": [0, STEPS], "anchor": "y2"},
            "yaxis2": {
                "title": {"text": "loss"},
                "type": "log",
                "range": [-8, 3],
                "dtick": 3,
                "exponentformat": "power",
                "domain": [0, 0.3],
                "anchor": "x2",
            },
            "height": 560,
        },
    }


def momentum_explorable() -> Explorable:
    return Explorable(
        params=[
            Param("lr", "learning rate $\\eta$", LEARNING_RATES, initial=0.03),
            Param("beta", "momentum $\\beta$", MOMENTA, initial=0.0),
        ],
        build=_momentum_frame,
    )
