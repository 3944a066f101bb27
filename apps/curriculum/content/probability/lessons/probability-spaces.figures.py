import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from apps.sandbox.grading.explorables import Explorable, Param


def figures() -> dict[str, go.Figure | Explorable]:
    # Two dice: the 36 outcomes, and the pmfs of the sum and the maximum defined on them.
    first, second = np.meshgrid(np.arange(1, 7), np.arange(1, 7), indexing="ij")
    total, largest = (first + second).ravel(), np.maximum(first, second).ravel()
    sums = np.arange(2, 13)
    maxima = np.arange(1, 7)
    dice = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("S = ω₁ + ω₂", "M = max(ω₁, ω₂)"),
    )
    dice.add_bar(
        x=sums,
        y=[np.sum(total == s) / 36 for s in sums],
        name="P(S = s)",
        marker_color="#f97316",
        row=1,
        col=1,
    )
    dice.add_bar(
        x=maxima,
        y=[np.sum(largest == m) / 36 for m in maxima],
        name="P(M = m)",
        marker_color="#2563eb",
        row=1,
        col=2,
    )
    dice.update_yaxes(title_text="probability", row=1, col=1)
    dice.update_layout(
        title={"text": "two random variables on the same 36 outcomes"},
        height=360,
        showlegend=False,
    )

    return {"dice": dice, "inverse-transform": inverse_transform_explorable()}


# ----- explorable: the rate of an exponential variable built on the uniform space -------------
# The same 4000 outcomes omega for every rate, so only the map X changes with the slider.
RATES = [0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0]
OMEGAS = np.random.default_rng(0).uniform(size=4000)
OMEGA_GRID = np.linspace(0.0, 0.999, 300)
X_MAX, BIN = 8.0, 0.1


def _inverse_transform_frame(rate: float) -> dict:
    draws = -np.log1p(-OMEGAS) / rate
    counts, edges = np.histogram(draws, bins=int(X_MAX / BIN), range=(0.0, X_MAX))
    grid = np.linspace(0.0, X_MAX, 300)
    mean = 1 / rate
    return {
        "data": [
            {
                "type": "scatter",
                "x": OMEGA_GRID,
                "y": -np.log1p(-OMEGA_GRID) / rate,
                "mode": "lines",
                "name": "X(ω) = −log(1 − ω) / λ",
                "line": {"color": "#10b981", "width": 3},
            },
            {
                "type": "scatter",
                "x": [0, 1],
                "y": [mean, mean],
                "mode": "lines",
                "name": "E[X] = 1/λ, the curve's average height",
                "line": {"color": "#6b7280", "dash": "dash"},
            },
            {
                "type": "bar",
                "x": (edges[:-1] + edges[1:]) / 2,
                "y": counts / (draws.size * BIN),
                "width": BIN,
                "name": "X of 4000 uniform ω",
                "marker": {"color": "#2563eb"},
                "opacity": 0.55,
                "xaxis": "x2",
                "yaxis": "y2",
            },
            {
                "type": "scatter",
                "x": grid,
                "y": rate * np.exp(-rate * grid),
                "mode": "lines",
                "name": "density λ e^(−λx)",
                "line": {"color": "#f97316", "width": 3},
                "xaxis": "x2",
                "yaxis": "y2",
            },
            {
                "type": "scatter",
                "x": [mean, mean],
                "y": [0, 4.2],
                "mode": "lines",
                "name": "E[X] = 1/λ",
                "showlegend": False,
                "line": {"color": "#6b7280", "dash": "dash"},
                "xaxis": "x2",
                "yaxis": "y2",
            },
        ],
        "layout": {
            "title": {
                "text": (
                    f"λ = {rate:g}: E[X] = 1/λ = {mean:.3g}, mean of the 4000 draws"
                    f" {draws.mean():.3g}, share above 2/λ {np.mean(draws > 2 * mean):.3f}"
                )
            },
            "xaxis": {"title": {"text": "outcome ω"}, "range": [0, 1], "domain": [0, 0.44]},
            "yaxis": {"title": {"text": "X(ω)"}, "range": [0, X_MAX]},
            "xaxis2": {
                "title": {"text": "x"},
                "range": [0, X_MAX],
                "domain": [0.56, 1],
                "anchor": "y2",
            },
            "yaxis2": {"title": {"text": "density"}, "range": [0, 4.2], "anchor": "x2"},
            "legend": {"orientation": "h", "y": -0.22},
            "height": 440,
        },
    }


def inverse_transform_explorable() -> Explorable:
    return Explorable(
        params=[Param("rate", "rate $\\lambda$", RATES, initial=1.5)],
        build=_inverse_transform_frame,
    )
