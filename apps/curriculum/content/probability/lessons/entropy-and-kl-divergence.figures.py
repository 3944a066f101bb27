import numpy as np
import plotly.graph_objects as go


def figures() -> dict[str, go.Figure]:
    p = 0.3
    r = np.linspace(0.01, 0.99, 99)
    h_p = -(p * np.log(p) + (1 - p) * np.log(1 - p))
    cross = -(p * np.log(r) + (1 - p) * np.log(1 - r))
    fig = go.Figure()
    fig.add_scatter(
        x=r, y=cross, name="cross-entropy H(p, q)", line={"color": "#2563eb", "width": 3}
    )
    fig.add_scatter(
        x=r, y=np.full_like(r, h_p), name="entropy H(p)", line={"color": "#6b7280", "dash": "dash"}
    )
    fig.add_scatter(
        x=r, y=cross - h_p, name="KL divergence = the gap", line={"color": "#f97316", "width": 3}
    )
    fig.add_vline(x=p, line={"color": "#6b7280", "dash": "dot"}, annotation_text="q = p")
    fig.update_layout(
        title={"text": "data p = Bernoulli(0.3), model q = Bernoulli(r)"},
        xaxis_title="model's r",
        yaxis_title="nats",
        yaxis_range=[0, 2.5],
        height=380,
    )
    return {"decomposition": fig}
