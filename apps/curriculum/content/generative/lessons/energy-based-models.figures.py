import numpy as np
import plotly.graph_objects as go


def figures() -> dict[str, go.Figure]:
    states = np.linspace(-2.0, 2.0, 30)
    energy = states**4 - 2.0 * states**2 + 0.3 * states
    fig = go.Figure()
    fig.add_bar(
        x=np.arange(30),
        y=energy,
        name="energy E(x)",
        marker_color="#d1d5db",
        yaxis="y2",
        opacity=0.6,
    )
    for t, colour in ((0.25, "#1d4ed8"), (1.0, "#7c3aed"), (4.0, "#f97316")):
        a = -energy / t
        p = np.exp(a - a.max())
        p /= p.sum()
        fig.add_scatter(
            x=np.arange(30), y=p, name=f"p(x) at T = {t}", line={"color": colour, "width": 3}
        )
    fig.update_layout(
        title={"text": "One energy landscape, three temperatures"},
        xaxis_title="state x",
        yaxis_title="probability",
        height=400,
        yaxis2={"overlaying": "y", "side": "right", "title": "energy", "showgrid": False},
    )
    return {"temperatures": fig}
