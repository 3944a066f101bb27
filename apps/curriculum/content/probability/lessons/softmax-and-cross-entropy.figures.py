import numpy as np
import plotly.graph_objects as go

SHADES = {"τ = 0.5": "#1e3a8a", "τ = 1": "#2563eb", "τ = 2": "#93c5fd"}


def figures() -> dict[str, go.Figure]:
    z = np.array([2.0, 1.0, 0.1, -0.5, 1.5])
    fig = go.Figure()
    for (name, colour), tau in zip(SHADES.items(), (0.5, 1.0, 2.0), strict=True):
        scaled = z / tau
        p = np.exp(scaled - scaled.max())
        p /= p.sum()
        fig.add_bar(
            x=[f"class {k + 1}" for k in range(z.size)], y=p, name=name, marker_color=colour
        )
    fig.update_layout(
        barmode="group",
        height=360,
        yaxis_title="probability",
        title={"text": "softmax(z / τ) for z = (2, 1, 0.1, −0.5, 1.5) at three temperatures"},
    )
    return {"temperature": fig}
