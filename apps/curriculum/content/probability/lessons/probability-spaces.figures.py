import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots


def figures() -> dict[str, go.Figure]:
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

    # One uniform draw: X(ω) = -log(1 - ω) / λ, and the density of X against a histogram.
    rate = 1.5
    omega = np.linspace(0.0, 0.995, 200)
    draws = -np.log1p(-np.random.default_rng(0).uniform(size=4000)) / rate
    grid = np.linspace(0.0, 4.0, 200)
    counts, edges = np.histogram(draws, bins=40, range=(0.0, 4.0))
    width = edges[1] - edges[0]
    inverse = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("the random variable X(ω)", "the distribution of X"),
    )
    inverse.add_scatter(
        x=omega,
        y=-np.log1p(-omega) / rate,
        name="X(ω) = −log(1 − ω) / λ",
        line={"color": "#10b981", "width": 3},
        row=1,
        col=1,
    )
    inverse.add_bar(
        x=(edges[:-1] + edges[1:]) / 2,
        y=counts / (draws.size * width),
        width=width,
        name="X of 4000 uniform ω",
        marker_color="#2563eb",
        opacity=0.55,
        row=1,
        col=2,
    )
    inverse.add_scatter(
        x=grid,
        y=rate * np.exp(-rate * grid),
        name="density λ e^(−λx)",
        line={"color": "#f97316", "width": 3},
        row=1,
        col=2,
    )
    inverse.update_xaxes(title_text="outcome ω", row=1, col=1)
    inverse.update_xaxes(title_text="x", row=1, col=2)
    inverse.update_layout(
        title={"text": "an exponential variable (λ = 1.5) built on the uniform space [0, 1]"},
        height=380,
    )
    return {"dice": dice, "inverse-transform": inverse}
