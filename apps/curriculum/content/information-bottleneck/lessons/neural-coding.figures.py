import numpy as np
import plotly.graph_objects as go


def figures() -> dict[str, go.Figure]:
    s = np.linspace(-90, 90, 181)
    fig = go.Figure()
    for s0, colour in ((-40, "#2563eb"), (0, "#7c3aed"), (40, "#f97316")):
        rate = 2 + 40 * np.exp(-0.5 * ((s - s0) / 20) ** 2)
        fig.add_scatter(x=s, y=rate, name=f"preferred {s0}°", line={"color": colour, "width": 3})
        fig.add_scatter(
            x=s,
            y=rate + np.sqrt(rate * 0.05) / 0.05,
            showlegend=False,
            line={"color": colour, "dash": "dot", "width": 1},
        )
    fig.update_layout(
        title={
            "text": "Three tuning curves f(s); dotted: mean + 1 Poisson s.d. of the rate over 50 ms"
        },
        xaxis_title="stimulus orientation s (degrees)",
        yaxis_title="firing rate (spikes/s)",
        height=400,
    )
    return {"tuning": fig}
