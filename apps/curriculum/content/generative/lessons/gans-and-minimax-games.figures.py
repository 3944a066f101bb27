import numpy as np
import plotly.graph_objects as go


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


def figures() -> dict[str, go.Figure]:
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
    return {"spirals": fig}
