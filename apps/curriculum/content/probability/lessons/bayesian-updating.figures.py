import math

import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading.explorables import Explorable, Param

SHADES = ["#fdba74", "#fb923c", "#f97316", "#c2410c", "#7c2d12"]


def _beta_pdf(grid, a, b):
    log_norm = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    return np.exp(log_norm + (a - 1) * np.log(grid) + (b - 1) * np.log1p(-grid))


def figures() -> dict[str, go.Figure | Explorable]:
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
    return {"posteriors": fig, "prior-strength": prior_strength_explorable()}


# ----- explorable: how strongly the prior pulls, against how much data there is -------------
STRENGTHS = [1.0, 2.0, 4.0, 6.0, 10.0, 16.0, 25.0, 40.0, 64.0, 100.0, 160.0]
FLIPS = [5.0, 20.0, 80.0]
HEAD_FRACTION = 0.8  # 4 heads in 5 flips, 16 in 20, 64 in 80
PRIOR_MEAN = 0.5


def _prior_strength_frame(strength: float, flips: float) -> dict:
    t = int(flips)
    k = round(HEAD_FRACTION * t)
    a, b = strength * PRIOR_MEAN, strength * (1 - PRIOR_MEAN)
    grid = np.linspace(0.002, 0.998, 250)
    mean = (a + k) / (a + b + t)
    weight = t / (a + b + t)
    return {
        "data": [
            {
                "type": "scatter",
                "x": grid,
                "y": _beta_pdf(grid, a, b),
                "mode": "lines",
                "line": {"color": "#6b7280", "dash": "dash"},
                "name": "prior",
            },
            {
                "type": "scatter",
                "x": grid,
                "y": _beta_pdf(grid, k + 1, t - k + 1),
                "mode": "lines",
                "line": {"color": "#2563eb", "dash": "dot"},
                "name": "likelihood (normalised)",
            },
            {
                "type": "scatter",
                "x": grid,
                "y": _beta_pdf(grid, a + k, b + t - k),
                "mode": "lines",
                "line": {"color": "#f97316", "width": 3},
                "name": "posterior",
            },
            {
                "type": "scatter",
                "x": [mean, mean],
                "y": [0, 14],
                "mode": "lines",
                "line": {"color": "#f97316", "width": 1},
                "name": "posterior mean",
            },
        ],
        "layout": {
            "title": {
                "text": (
                    f"Beta({a:g}, {b:g}) prior, {k} heads in {t} flips: posterior mean {mean:.3f} "
                    f"(MLE {k / t:g}); the data's weight is {100 * weight:.0f}%"
                )
            },
            "xaxis": {"title": {"text": "θ"}, "range": [0, 1]},
            "yaxis": {"title": {"text": "density"}, "range": [0, 14]},
            "height": 400,
            "legend": {"x": 0.01, "y": 0.99},
        },
    }


def prior_strength_explorable() -> Explorable:
    return Explorable(
        params=[
            Param("strength", "prior strength $a + b$", STRENGTHS, initial=4.0),
            Param("flips", "flips $t$", FLIPS, initial=20.0),
        ],
        build=_prior_strength_frame,
    )
