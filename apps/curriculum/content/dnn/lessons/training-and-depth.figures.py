import numpy as np
import plotly.graph_objects as go


def figures():
    z = np.linspace(-6, 6, 241)
    s = 1.0 / (1.0 + np.exp(-z))
    fig = go.Figure()
    fig.add_scatter(
        x=z, y=s * (1 - s), name="σ′(z) = σ(z)(1 − σ(z))", line={"color": "#f97316", "width": 3}
    )
    fig.add_scatter(x=z, y=1 - np.tanh(z) ** 2, name="tanh′(z)", line={"color": "#10b981"})
    fig.add_scatter(
        x=z, y=(z > 0).astype(float), name="ReLU′(z)", line={"color": "#2563eb", "dash": "dash"}
    )
    fig.add_hline(y=0.25, line={"color": "#6b7280", "dash": "dot"})
    fig.update_layout(
        title={"text": "derivatives of three activations: the sigmoid's never exceeds 1/4"},
        xaxis_title="pre-activation z",
        yaxis_title="derivative",
        height=380,
    )
    depth = np.arange(1, 16)
    decay = go.Figure()
    decay.add_scatter(
        x=depth,
        y=0.25 ** (depth - 1),
        mode="lines+markers",
        name="(1/4)^(ℓ−1): sigmoid at best",
        line={"color": "#f97316", "width": 3},
    )
    decay.add_scatter(
        x=depth,
        y=np.ones_like(depth, dtype=float),
        mode="lines+markers",
        name="1: active ReLU units",
        line={"color": "#2563eb", "dash": "dash"},
    )
    decay.update_yaxes(type="log")
    decay.update_layout(
        title={"text": "largest possible product of activation derivatives through ℓ − 1 layers"},
        xaxis_title="layers traversed ℓ",
        yaxis_title="factor (log scale)",
        height=380,
    )
    return {"activation-derivatives": fig, "derivative-products": decay}
