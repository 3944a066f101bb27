import math

import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, CheckFailed, Grader, plots

SHOW = (0, 1, 3, 10, 40)


def cases(rng: np.random.Generator) -> list[Call]:
    theta = rng.uniform(0.15, 0.85)
    a, b = float(rng.uniform(0.5, 4.0)), float(rng.uniform(0.5, 4.0))
    x = (rng.random(40) < theta).astype(np.int64)
    return [
        Call(
            "flips",
            "beta_bernoulli_updates",
            (x, a, b),
            label=f"40 flips with prior Beta({a:.3g}, {b:.3g})",
        ),
        Call(
            "empty",
            "beta_bernoulli_updates",
            (np.zeros(0, dtype=np.int64), 2.0, 3.0),
            label="no flips, prior Beta(2, 3)",
        ),
        Call(
            "heads",
            "beta_bernoulli_updates",
            (np.ones(5, dtype=np.int64), 1.0, 1.0),
            label="five heads, prior Beta(1, 1)",
        ),
        Call("mle", "running_mle", (x,), label="the same 40 flips"),
        Call("mle-heads", "running_mle", (np.ones(5, dtype=np.int64),), label="five heads"),
        Call("mle-empty", "running_mle", (np.zeros(0, dtype=np.int64),), label="no flips"),
    ]


def _params(g: Grader, key: str) -> np.ndarray:
    x, a, b = g.args(key)
    n = len(x)
    try:
        got = g.array(key, shape=(n + 1, 2))
    except CheckFailed:
        got = g.array(key, shape=np.shape(g.output(key)))
    if got.ndim != 2 or got.shape[1] != 2:
        raise CheckFailed(
            f"beta_bernoulli_updates() on {g.call(key).description} should return an array of shape "
            f"({n + 1}, 2), but returned shape {got.shape}"
        )
    if got.shape[0] != n + 1:
        raise CheckFailed(
            f"beta_bernoulli_updates() on {g.call(key).description} returned {got.shape[0]} rows for "
            f"{n} observations; row 0 must be the prior ({a:.3g}, {b:.3g}), so there are n + 1 = {n + 1} rows"
        )
    return got


def grade(g: Grader) -> None:
    def prior_row():
        got = _params(g, "flips")
        _, a, b = g.args("flips")
        if not np.allclose(got[0], [a, b]):
            return f"row 0 should be the prior ({a:.4g}, {b:.4g}), got {got[0]}"
        return None

    g.custom("has n + 1 rows, starting with the prior", prior_row, points=2)

    def values():
        got = _params(g, "flips")
        ref = np.asarray(g.expected("flips"))
        if np.allclose(got[:, ::-1] - got[0, ::-1], ref - ref[0]) and not np.allclose(got, ref):
            return "your parameters grow the wrong way round: a counts the heads (x = 1) and b counts the tails (x = 0)"
        if not np.allclose(got, ref, rtol=1e-9):
            t = int(np.argmax(np.abs(got - ref).max(axis=1)))
            return f"after {t} flips the posterior should be Beta{tuple(np.round(ref[t], 4))}, got {tuple(np.round(got[t], 4))}"
        return None

    g.custom("matches a_t = a + k_t, b_t = b + t - k_t", values, points=3)

    def total():
        got = _params(g, "flips")
        _, a, b = g.args("flips")
        gap = np.abs(got.sum(axis=1) - (a + b + np.arange(got.shape[0]))).max()
        return (
            None
            if gap < 1e-9
            else f"a_t + b_t should equal a + b + t (one count per flip), but is off by up to {gap:.4g}"
        )

    g.custom("every flip adds exactly one count", total)
    g.check_close("an empty sequence gives the prior", "empty", rtol=1e-12)
    g.check_close("five heads from a flat prior", "heads", rtol=1e-12)
    g.check_close(
        "running maximum-likelihood estimate",
        "mle",
        rtol=1e-9,
        points=2,
        hint="Entry t - 1 is the fraction of heads among the first t flips",
    )
    g.check_close("five heads give a maximum-likelihood estimate of 1", "mle-heads", rtol=1e-12)
    g.check_close("no flips give an empty estimate", "mle-empty")


def _beta_pdf(grid, a, b):
    log_norm = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    return np.exp(log_norm + (a - 1) * np.log(grid) + (b - 1) * np.log1p(-grid))


def figures(g: Grader) -> None:
    ref = np.asarray(g.expected("flips"))
    yours = g.try_array("flips")
    ok = yours is not None and np.all(np.isfinite(yours)) and np.all(yours > 0)
    grid = np.linspace(0.005, 0.995, 150)
    fig = go.Figure()
    for i, t in enumerate(SHOW):
        fig.add_scatter(
            x=grid,
            y=_beta_pdf(grid, *ref[t]),
            name=f"reference, t = {t}",
            line={"color": plots.REFERENCE, "width": 1 + i * 0.6},
            legendgroup=f"t{t}",
        )
        if ok:
            fig.add_scatter(
                x=grid,
                y=_beta_pdf(grid, *yours[t]),
                name=f"yours, t = {t}",
                line={"color": plots.LEARNER, "dash": "dash", "width": 1 + i * 0.6},
                legendgroup=f"t{t}",
            )
    fig.update_layout(
        title={"text": "posterior density of theta after t flips"},
        xaxis_title="theta",
        yaxis_title="density",
        height=400,
    )
    g.figure(fig)

    t = np.arange(1, ref.shape[0])
    fig = plots.compare_lines(
        t,
        None,
        ref[1:, 0] / ref[1:, :].sum(axis=1),
        title="posterior mean against the running MLE",
        x_label="number of flips t",
        y_label="estimate of theta",
    )
    fig.data[0].name = "reference posterior mean"
    if ok:
        fig.add_scatter(
            x=t,
            y=yours[1:, 0] / yours[1:, :].sum(axis=1),
            name="your posterior mean",
            line={"color": plots.LEARNER, "dash": "dash"},
        )
    mle = g.try_array("mle")
    fig.add_scatter(x=t, y=g.expected("mle"), name="reference MLE", line={"color": plots.NEUTRAL})
    if mle is not None:
        fig.add_scatter(
            x=t, y=mle, name="your MLE", mode="markers", marker={"color": "#1e3a8a", "size": 5}
        )
    g.figure(fig)
