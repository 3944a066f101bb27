import math

import numpy as np
import plotly.graph_objects as go

SHADES = ["#fdba74", "#fb923c", "#f97316", "#c2410c", "#7c2d12"]


def _beta_pdf(grid, a, b):
    log_norm = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    return np.exp(log_norm + (a - 1) * np.log(grid) + (b - 1) * np.log1p(-grid))


def figures() -> dict[str, go.Figure]:
    rng = np.random.default_rng(4)
    theta, a, b = 0.3, 2.0, 2.0
    x = (rng.random(200) < theta).astype(float)
    grid = np.linspace(0.002, 0.998, 200)
    fig = go.Figure()
    for t, colour in zip((0, 3, 10, 50, 200), SHADES, strict=True):
        k = x[:t].sum()
        fig.add_scatter(
            x=grid,
            y=_beta_pdf(grid, a + k, b + t - k),
            name=f"after {t} flips ({int(k)} heads)",
            line={"color": colour, "width": 2},
        )
    fig.add_vline(
        x=theta, line={"color": "#6b7280", "dash": "dot"}, annotation_text="true theta = 0.3"
    )
    fig.update_layout(
        title={"text": "Beta(2, 2) prior updated by flips of a coin with theta = 0.3"},
        xaxis_title="theta",
        yaxis_title="posterior density",
        height=400,
    )
    return {"posteriors": fig}
