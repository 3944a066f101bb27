import math

import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, PlainFigure, plots


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
    # The mean can sit near 0 while the samples do not: a correct float32 mean is off by about
    # 6e-8 of the samples' size, so the absolute tolerance follows the samples.
    scale = float(np.abs(g.arg("gauss")).max())
    g.check_close("Gaussian mean", "gauss", part=0, atol=1e-6 * scale)
    g.check_close("Gaussian standard deviation", "gauss", part=1)
    g.check_close("sigma divides by n, even for 4 points", "gauss-small", part=1, points=2)
    g.check_close("exponential rate", "expo")
    g.check_close("exponential rate from one sample", "expo-one")
    g.check_close("power-law exponent", "power", points=2)
    g.check_close("power-law exponent from 5 samples", "power-small")


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _unbiased_sigma(x):
    x = np.asarray(x, dtype=float)
    return float(x.mean()), float(x.std(ddof=1))


def _variance(x):
    x = np.asarray(x, dtype=float)
    return float(x.mean()), float(np.mean((x - x.mean()) ** 2))


def _rate_unbiased(x):
    x = np.asarray(x, dtype=float)
    return float((len(x) - 1) / x.sum())


def _rate_is_mean(x):
    return float(np.mean(np.asarray(x, dtype=float)))


def _power(log):
    def fit(x, x_min):
        x = np.asarray(x, dtype=float)
        return float(1 + len(x) / np.sum(log(x / x_min)))

    return fit


def _power_missing_one(x, x_min):
    x = np.asarray(x, dtype=float)
    return float(len(x) / np.sum(np.log(x / x_min)))


def _power_ignores_xmin(x, x_min):
    x = np.asarray(x, dtype=float)
    return float(1 + len(x) / np.sum(np.log(x)))


def _log_log_fit(x, x_min):
    x = np.asarray(x, dtype=float)
    counts, edges = np.histogram(np.log(x), bins=20)
    keep = counts > 0
    centres = (edges[:-1] + edges[1:]) / 2
    return float(1.0 - np.polyfit(centres[keep], np.log(counts[keep]), 1)[0])


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "unbiased-sigma",
            diagnosis=(
                "Your sigma divides by n - 1, the unbiased variance estimator; the maximum of "
                "the likelihood divides by n (the two differ most for small samples)."
            ),
            fix="sigma = np.sqrt(np.mean((x - mu) ** 2)), or np.std(x) with its default ddof=0.",
            wrong={"fit_gaussian": _unbiased_sigma},
        ),
        Mistake(
            "variance-not-std",
            diagnosis="You return the variance mean((x - mu)^2) as sigma; sigma is its square root.",
            fix="Take np.sqrt of the mean squared deviation.",
            wrong={"fit_gaussian": _variance},
        ),
        Mistake(
            "rate-unbiased",
            diagnosis=(
                "Your rate is (n - 1) / sum(x), an unbiased estimator; the maximum-likelihood "
                "rate is n / sum(x) = 1 / mean(x) (yours is 0 for a single sample)."
            ),
            fix="Return 1 / np.mean(x).",
            wrong={"fit_exponential": _rate_unbiased},
        ),
        Mistake(
            "rate-is-mean",
            diagnosis="You return the sample mean; the rate is its inverse, 1 / mean(x).",
            fix="Return 1 / np.mean(x).",
            wrong={"fit_exponential": _rate_is_mean},
        ),
        Mistake(
            "power-law-missing-one",
            diagnosis=(
                "You return n / sum log(x_i / x_min), which estimates alpha - 1 (the slope of the "
                "survival function); the exponent of the density is one more."
            ),
            fix="alpha = 1 + n / sum(log(x / x_min)).",
            wrong={"fit_power_law": _power_missing_one},
        ),
        Mistake(
            "power-law-log10",
            diagnosis=(
                "You use np.log10: the sum of logarithms is log 10 ≈ 2.303 times too small, so "
                "alpha - 1 comes out 2.303 times too large."
            ),
            fix="Use the natural logarithm np.log.",
            wrong={"fit_power_law": _power(np.log10)},
        ),
        Mistake(
            "power-law-log2",
            diagnosis="You use np.log2; the likelihood uses the natural logarithm np.log.",
            fix="Use np.log.",
            wrong={"fit_power_law": _power(np.log2)},
        ),
        Mistake(
            "power-law-ignores-xmin",
            diagnosis=(
                "You sum log(x_i) instead of log(x_i / x_min): the cut-off is missing, which "
                "matters whenever x_min is not 1."
            ),
            fix="Divide by x_min inside the logarithm: np.log(x / x_min).",
            wrong={"fit_power_law": _power_ignores_xmin},
        ),
        Mistake(
            "log-log-fit",
            diagnosis=(
                "You fit a straight line to a log-log histogram: that is not the "
                "maximum-likelihood estimate, and it is biased (the tail's few counts are noisy "
                "and the bins are not independent)."
            ),
            fix="alpha = 1 + n / sum(log(x / x_min)), from setting the log-likelihood's derivative to 0.",
            wrong={"fit_power_law": _log_log_fit},
        ),
    ]


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
    fig = PlainFigure()
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
