import math

import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots


def _pareto(rng, alpha, x_min, n):
    return x_min * (1.0 - rng.random(n)) ** (-1.0 / (alpha - 1.0))


def cases(rng: np.random.Generator) -> list[Call]:
    mu, sigma = rng.uniform(-3, 3), rng.uniform(0.5, 2.5)
    rate = rng.uniform(0.3, 3.0)
    alpha, x_min = rng.uniform(1.5, 3.5), rng.uniform(0.5, 2.0)
    return [
        Call(
            "gauss",
            "fit_gaussian",
            (rng.normal(mu, sigma, size=400),),
            label="400 Gaussian samples",
        ),
        Call(
            "gauss-small",
            "fit_gaussian",
            (rng.normal(mu, sigma, size=4),),
            label="a Gaussian sample of 4 points",
        ),
        Call(
            "expo",
            "fit_exponential",
            (rng.exponential(1.0 / rate, size=400),),
            label="400 exponential samples",
        ),
        Call(
            "expo-one",
            "fit_exponential",
            (np.array([rng.exponential(1.0 / rate)]),),
            label="a single exponential sample",
        ),
        Call(
            "power",
            "fit_power_law",
            (_pareto(rng, alpha, x_min, 2000), float(x_min)),
            label=f"2000 power-law samples above x_min = {x_min:.3g}",
        ),
        Call(
            "power-small",
            "fit_power_law",
            (_pareto(rng, alpha, 1.0, 5), 1.0),
            label="5 power-law samples above x_min = 1",
        ),
    ]


def grade(g: Grader) -> None:
    g.check_close(
        "Gaussian mean",
        "gauss",
        part=0,
        rtol=1e-9,
        atol=1e-12,
        hint="The maximum-likelihood mean is the sample mean",
    )
    g.check_close(
        "Gaussian standard deviation",
        "gauss",
        part=1,
        rtol=1e-9,
        hint="Return sigma, the square root of the mean squared deviation, not the variance",
    )

    def small_sigma():
        x = g.arg("gauss-small")
        got, ref = g.scalar("gauss-small", 1), g.expected("gauss-small", 1)
        if np.isclose(got, np.std(x, ddof=1), rtol=1e-9):
            return (
                f"on a Gaussian sample of 4 points your sigma {got:.6g} divides by n - 1 (the unbiased "
                f"variance); the maximum-likelihood estimate divides by n and is {ref:.6g}"
            )
        return (
            None
            if np.isclose(got, ref, rtol=1e-9)
            else f"on a Gaussian sample of 4 points sigma should be {ref:.6g}, got {got:.6g}"
        )

    g.custom("sigma divides by n, even for 4 points", small_sigma, points=2)
    g.check_close(
        "exponential rate",
        "expo",
        rtol=1e-9,
        hint="The rate is one over the sample mean, not the mean itself",
    )
    g.check_close("exponential rate from one sample", "expo-one", rtol=1e-9)
    g.check_close(
        "power-law exponent",
        "power",
        rtol=1e-8,
        points=2,
        hint="alpha = 1 + n / sum(log(x / x_min)); a straight-line fit through a log-log histogram is biased",
    )
    g.check_close("power-law exponent from 5 samples", "power-small", rtol=1e-8)


def figures(g: Grader) -> None:
    x = np.asarray(g.arg("gauss"))
    grid = np.linspace(x.min() - 0.5, x.max() + 0.5, 200)

    def normal(m, s):
        return np.exp(-((grid - m) ** 2) / (2 * s * s)) / (math.sqrt(2 * math.pi) * s)

    mu, sd = g.expected("gauss")
    fig = plots.histogram_with_density(
        x, grid, normal(mu, sd), title="Gaussian samples and the fitted density"
    )
    fig.data[1].name = "reference fit"
    m_y, s_y = g.try_array("gauss", 0, shape=()), g.try_array("gauss", 1, shape=())
    if m_y is not None and s_y is not None and np.isfinite(m_y) and np.isfinite(s_y) and s_y > 0:
        fig.add_scatter(
            x=grid,
            y=normal(float(m_y), float(s_y)),
            name="your fit",
            line={"color": "#1e3a8a", "dash": "dash"},
        )
    g.figure(fig)

    samples, x_min = np.sort(np.asarray(g.arg("power", 0))), float(g.arg("power", 1))
    survival = 1.0 - np.arange(samples.size) / samples.size
    pick = np.unique(np.geomspace(1, samples.size, 150).astype(int) - 1)
    xs = np.geomspace(x_min, samples.max(), 100)
    fig = go.Figure()
    fig.add_scatter(
        x=samples[pick],
        y=survival[pick],
        mode="markers",
        name="samples",
        marker={"color": plots.NEUTRAL, "size": 4},
    )
    fig.add_scatter(
        x=xs,
        y=(xs / x_min) ** (1 - g.expected("power")),
        name="reference fit",
        line={"color": plots.REFERENCE, "width": 3},
    )
    a_y = g.try_array("power", shape=())
    if a_y is not None and np.isfinite(a_y) and a_y > 1:
        fig.add_scatter(
            x=xs,
            y=(xs / x_min) ** (1 - float(a_y)),
            name="your fit",
            line={"color": plots.LEARNER, "dash": "dash"},
        )
    fig.update_xaxes(type="log")
    fig.update_yaxes(type="log")
    fig.update_layout(
        title={"text": "power-law tail: P(X > x) on log-log axes"},
        xaxis_title="x",
        yaxis_title="P(X > x)",
        height=380,
    )
    g.figure(fig)
