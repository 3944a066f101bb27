import numpy as np
import plotly.graph_objects as go


def figures() -> dict[str, go.Figure]:
    P = np.array([[0.9, 0.1], [0.3, 0.7]])
    mu = np.array([0.0, 1.0])
    rows = [mu]
    for _ in range(15):
        mu = mu @ P
        rows.append(mu)
    rows = np.array(rows)
    steps = np.arange(rows.shape[0])
    fig = go.Figure()
    fig.add_scatter(
        x=steps, y=rows[:, 0], mode="lines+markers", name="P(s_t = 0)", line={"color": "#2563eb"}
    )
    fig.add_scatter(
        x=steps, y=rows[:, 1], mode="lines+markers", name="P(s_t = 1)", line={"color": "#10b981"}
    )
    fig.add_hline(y=0.75, line={"color": "#f97316", "dash": "dash"})
    fig.add_hline(y=0.25, line={"color": "#f97316", "dash": "dash"})
    fig.update_layout(
        title={"text": "μ_t = μ_0 P^t approaches π = (0.75, 0.25) at rate 0.6^t"},
        xaxis_title="step t",
        yaxis_title="probability",
        height=380,
    )
    return {"convergence": fig}
