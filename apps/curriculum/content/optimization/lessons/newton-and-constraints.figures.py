import numpy as np
import plotly.graph_objects as go


def figures() -> dict[str, go.Figure]:
    target = np.log(2.0)
    x, newton = 0.0, []
    for _ in range(6):
        newton.append(max(abs(x - target), 1e-17))
        x = x - (np.exp(x) - 2) / np.exp(x)
    x, gd = 0.0, []
    for _ in range(6):
        gd.append(abs(x - target))
        x = x - 0.2 * (np.exp(x) - 2)
    fig = go.Figure()
    fig.add_scatter(
        x=list(range(6)), y=newton, mode="lines+markers", name="Newton", line={"color": "#f97316"}
    )
    fig.add_scatter(
        x=list(range(6)),
        y=gd,
        mode="lines+markers",
        name="gradient descent, lr = 0.2",
        line={"color": "#2563eb"},
    )
    fig.update_yaxes(type="log", title="|x_t - log 2|")
    fig.update_xaxes(title="step t")
    fig.update_layout(
        title={"text": "minimising exp(x) - 2x from x = 0: digits double with Newton"}, height=360
    )
    return {"newton": fig}
