import numpy as np
import plotly.graph_objects as go

LEARNER, REFERENCE, GREEN = "#2563eb", "#f97316", "#10b981"


def _survival(values, points=120):
    ordered = np.sort(values)
    survival = 1.0 - np.arange(ordered.size) / ordered.size
    pick = np.unique(np.geomspace(1, ordered.size, points).astype(int) - 1)
    return ordered[pick], survival[pick]


def figures() -> dict[str, go.Figure]:
    rng = np.random.default_rng(2)
    n = 20_000
    samples = {
        "|Gaussian|, sigma = 1": np.abs(rng.normal(size=n)),
        "exponential, rate 1": rng.exponential(1.0, size=n),
        "power law, alpha = 2.5": (1.0 - rng.random(n)) ** (-1.0 / 1.5),
    }
    tails = go.Figure()
    for (name, values), colour in zip(samples.items(), (LEARNER, GREEN, REFERENCE), strict=True):
        x, s = _survival(values[values > 0.05])
        tails.add_scatter(x=x, y=s, mode="lines", name=name, line={"color": colour, "width": 2})
    tails.update_xaxes(type="log", title="x")
    tails.update_yaxes(type="log", title="P(X > x)")
    tails.update_layout(
        title={"text": "survival functions on log-log axes: only the power law is a straight line"},
        height=380,
    )

    steps = np.unique(np.geomspace(1, n, 300).astype(int))
    gauss_sq = np.cumsum(rng.normal(size=n) ** 2) / np.arange(1, n + 1)
    power = (1.0 - rng.random(n)) ** (-1.0 / 1.5)
    power_sq = np.cumsum(power**2) / np.arange(1, n + 1)
    running = go.Figure()
    running.add_scatter(
        x=steps, y=gauss_sq[steps - 1], name="Gaussian: mean of x² → 1", line={"color": LEARNER}
    )
    running.add_scatter(
        x=steps,
        y=power_sq[steps - 1],
        name="power law, alpha = 2.5: E[x²] is infinite",
        line={"color": REFERENCE},
    )
    running.update_xaxes(type="log", title="number of samples n")
    running.update_yaxes(type="log", title="running mean of x²")
    running.update_layout(
        title={"text": "a sample mean of squares settles only if the expectation exists"},
        height=380,
    )
    return {"tails": tails, "running-mean": running}
