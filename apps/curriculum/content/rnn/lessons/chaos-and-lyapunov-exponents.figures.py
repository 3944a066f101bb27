import numpy as np
import plotly.graph_objects as go


def figures() -> dict[str, go.Figure]:
    r = np.linspace(2.8, 4.0, 120)
    x = np.full(r.shape, 0.4)
    for _ in range(500):
        x = r * x * (1 - x)
    xs, rs = [], []
    for _ in range(16):
        x = r * x * (1 - x)
        xs.append(x.copy())
        rs.append(r)
    fig = go.Figure()
    fig.add_scatter(
        x=np.concatenate(rs),
        y=np.concatenate(xs),
        mode="markers",
        marker={"size": 2.5, "color": "#2563eb"},
        name="states after burn-in",
    )
    fig.update_layout(
        title={"text": "the logistic map: long-run states x_t for each growth rate r"},
        xaxis_title="growth rate r",
        yaxis_title="x_t",
        height=400,
        showlegend=False,
    )
    return {"bifurcation": fig}
