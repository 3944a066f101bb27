import numpy as np
import plotly.graph_objects as go


def _orbit(W, b, h0, steps):
    hs = [np.asarray(h0, dtype=float)]
    for _ in range(steps):
        hs.append(W @ hs[-1] + b)
    return np.array(hs)


def figures() -> dict[str, go.Figure]:
    W = np.array([[0.5, -0.6], [0.6, 0.5]])
    b = np.array([0.2, 0.1])
    h_star = np.linalg.solve(np.eye(2) - W, b)
    fig = go.Figure()
    for h0, colour in [((1.0, 1.0), "#2563eb"), ((-1.0, 0.5), "#10b981"), ((0.5, -1.0), "#6b7280")]:
        orbit = _orbit(W, b, h0, 25)
        fig.add_scatter(
            x=orbit[:, 0],
            y=orbit[:, 1],
            mode="lines+markers",
            marker={"size": 4},
            line={"color": colour},
            name=f"h0 = {h0}",
        )
    fig.add_scatter(
        x=[h_star[0]],
        y=[h_star[1]],
        mode="markers",
        name="fixed point h*",
        marker={"color": "#f97316", "size": 12, "symbol": "x"},
    )
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    fig.update_layout(
        title={"text": "a stable spiral: h_t = W h_(t-1) + b, eigenvalues 0.5 ± 0.6i"},
        xaxis_title="h₁",
        yaxis_title="h₂",
        height=420,
    )
    return {"spiral": fig}
