import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading.explorables import Explorable, Param


def _path(lr: float, steps: int, extragradient: bool) -> np.ndarray:
    x, y = 1.0, 0.0
    out = [(x, y)]
    for _ in range(steps):
        if extragradient:
            xh, yh = x - lr * y, y + lr * x
            x, y = x - lr * yh, y + lr * xh
        else:
            x, y = x - lr * y, y + lr * x
        out.append((x, y))
    return np.array(out)


# ----- explorable: the step size, simultaneous GDA against extragradient ------------------
STEP_SIZES = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2]
STEPS = 60


def _cut(path: np.ndarray) -> np.ndarray:
    """The path up to the first point beyond distance 1e3 (a diverged path stays finite)."""
    far = np.flatnonzero(np.hypot(path[:, 0], path[:, 1]) > 1e3)
    return path if far.size == 0 else path[: far[0]]


def _step_size_frame(lr: float) -> dict:
    sim, eg = _cut(_path(lr, STEPS, False)), _cut(_path(lr, STEPS, True))
    grow_sim = np.sqrt(1 + lr**2)
    grow_eg = np.sqrt(1 - lr**2 + lr**4)
    eg_word = (
        "spirals in" if grow_eg < 1 - 1e-12 else "circles" if grow_eg < 1 + 1e-12 else "spirals out"
    )
    traces = []
    for path, name, colour in (
        (sim, "simultaneous GDA", "#dc2626"),
        (eg, "extragradient", "#16a34a"),
    ):
        traces.append(
            {
                "type": "scatter",
                "x": path[:, 0],
                "y": path[:, 1],
                "mode": "lines+markers",
                "marker": {"size": 3},
                "line": {"color": colour},
                "name": name,
            }
        )
    for path, name, colour in ((sim, "GDA", "#dc2626"), (eg, "extragradient", "#16a34a")):
        traces.append(
            {
                "type": "scatter",
                "x": np.arange(len(path)),
                "y": np.hypot(path[:, 0], path[:, 1]),
                "mode": "lines",
                "line": {"color": colour},
                "name": f"distance, {name}",
                "showlegend": False,
                "xaxis": "x2",
                "yaxis": "y2",
            }
        )
    return {
        "data": traces,
        "layout": {
            "title": {
                "text": (
                    f"η = {lr:g}: GDA ×{grow_sim:.3f} per step (spirals out), "
                    f"extragradient ×{grow_eg:.3f} ({eg_word})"
                )
            },
            "xaxis": {"title": {"text": "x (minimiser)"}, "range": [-3, 3], "domain": [0, 0.48]},
            "yaxis": {"title": {"text": "y (maximiser)"}, "range": [-3, 3]},
            "xaxis2": {
                "title": {"text": "step"},
                "range": [0, STEPS],
                "domain": [0.56, 1],
                "anchor": "y2",
            },
            "yaxis2": {
                "title": {"text": "distance to (0, 0)"},
                "type": "log",
                "range": [-3, 3],
                "anchor": "x2",
                "exponentformat": "power",
            },
            "legend": {"orientation": "h", "y": -0.2},
            "height": 440,
        },
    }


def step_size_explorable() -> Explorable:
    return Explorable(
        params=[Param("lr", "step size $\\eta$", STEP_SIZES, initial=0.2)],
        build=_step_size_frame,
    )


def figures() -> dict[str, go.Figure | Explorable]:
    fig = go.Figure()
    sim, eg = _path(0.2, 60, False), _path(0.2, 60, True)
    fig.add_scatter(
        x=sim[:, 0],
        y=sim[:, 1],
        mode="lines+markers",
        name="simultaneous GDA",
        line={"color": "#dc2626"},
        marker={"size": 3},
    )
    fig.add_scatter(
        x=eg[:, 0],
        y=eg[:, 1],
        mode="lines+markers",
        name="extragradient",
        line={"color": "#16a34a"},
        marker={"size": 3},
    )
    fig.add_scatter(
        x=[0],
        y=[0],
        mode="markers",
        name="equilibrium",
        marker={"color": "black", "size": 10, "symbol": "star"},
    )
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    fig.update_layout(
        title={"text": "min_x max_y xy from (1, 0) with lr = 0.2, 60 steps"},
        xaxis_title="x (minimiser)",
        yaxis_title="y (maximiser)",
        height=440,
    )
    return {"spirals": fig, "step-size": step_size_explorable()}
