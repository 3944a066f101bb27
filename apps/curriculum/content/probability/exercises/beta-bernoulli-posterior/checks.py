import math

import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, Mistake, PlainFigure, plots

SHOW = (0, 1, 3, 10, 40)
# Fixed flips with heads and tails mixed, so the running estimate changes at every step
# whatever the random flips of a seed happen to be (they can all be tails).
MIXED = np.array([1, 0, 0, 1, 1, 0], dtype=np.int64)


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
        Call(
            "fixed",
            "beta_bernoulli_updates",
            (MIXED, 1.5, 2.5),
            label="the flips 1, 0, 0, 1, 1, 0 with prior Beta(1.5, 2.5)",
        ),
        Call("mle-fixed", "running_mle", (MIXED,), label="the flips 1, 0, 0, 1, 1, 0"),
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
            return f"row 0 should be the prior ({a:.8g}, {b:.8g}), got {got[0]}"
        return None

    g.custom("has n + 1 rows, starting with the prior", prior_row, points=2)
    g.check_close("matches a_t = a + k_t, b_t = b + t - k_t", "flips", points=2)
    g.check_close("fixed flips, step by step", "fixed", points=1)

    def total():
        got = _params(g, "flips")
        _, a, b = g.args("flips")
        gap = np.abs(got.sum(axis=1) - (a + b + np.arange(got.shape[0]))).max()
        return (
            None
            if gap < 1e-5 * (a + b + got.shape[0])
            else f"a_t + b_t should equal a + b + t (one count per flip), but is off by up to {gap:.4g}"
        )

    g.custom("every flip adds exactly one count", total)
    g.check_close("an empty sequence gives the prior", "empty")
    g.check_close("five heads from a flat prior", "heads")
    g.check_close("running maximum-likelihood estimate", "mle", points=1)
    g.check_close("running estimate of fixed flips", "mle-fixed", points=1)
    g.check_close("five heads give a maximum-likelihood estimate of 1", "mle-heads")
    g.check_close("no flips give an empty estimate", "mle-empty")


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _counts(x):
    x = np.asarray(x, dtype=float)
    return np.concatenate([[0.0], np.cumsum(x)]), np.arange(x.size + 1, dtype=float)


def _no_prior_row(x, a, b):
    heads, t = _counts(x)
    return np.stack([a + heads[1:], b + (t[1:] - heads[1:])], axis=1)


def _swapped(x, a, b):
    heads, t = _counts(x)
    return np.stack([a + (t - heads), b + heads], axis=1)


def _b_counts_all(x, a, b):
    heads, t = _counts(x)
    return np.stack([a + heads, b + t], axis=1)


def _int_table(x, a, b):
    x = np.asarray(x)
    out = np.zeros_like(x, shape=(len(x) + 1, 2))
    k = np.concatenate([[0], np.cumsum(x)])
    t = np.arange(len(x) + 1)
    out[:, 0] = a + k
    out[:, 1] = b + t - k
    return out


def _mle_final_only(x):
    x = np.asarray(x, dtype=float)
    return np.full(x.size, x.mean()) if x.size else np.zeros(0)


def _mle_off_by_one(x):
    x = np.asarray(x, dtype=float)
    return np.cumsum(x) / np.arange(2, x.size + 2)


def _mle_laplace(x):
    x = np.asarray(x, dtype=float)
    return (np.cumsum(x) + 1) / (np.arange(1, x.size + 1) + 2)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "no-prior-row",
            diagnosis=(
                "Your table starts after the first flip: row 0 must be the prior (a, b) itself, "
                "so n flips give n + 1 rows."
            ),
            fix="Prepend a zero to the running head count: np.concatenate([[0], np.cumsum(x)]).",
            wrong={"beta_bernoulli_updates": _no_prior_row},
        ),
        Mistake(
            "swapped-counts",
            diagnosis="Your counts grow the wrong way round: a counts the heads (x = 1), b the tails.",
            fix="a_t = a + k_t and b_t = b + (t - k_t), with k_t the heads among the first t flips.",
            wrong={"beta_bernoulli_updates": _swapped},
        ),
        Mistake(
            "b-counts-all-flips",
            diagnosis="You add every flip to b (b_t = b + t); b counts only the tails, t - k_t.",
            fix="b_t = b + t - k_t.",
            wrong={"beta_bernoulli_updates": _b_counts_all},
        ),
        Mistake(
            "integer-table",
            diagnosis=(
                "Your table takes the integer dtype of the flips, so a prior such as a = 2.7 is "
                "truncated to 2 when it is stored."
            ),
            fix="Build the table as floats: np.zeros((n + 1, 2)) or np.asarray(x, dtype=float).",
            wrong={"beta_bernoulli_updates": _int_table},
        ),
        Mistake(
            "mle-final-only",
            diagnosis=(
                "Your running estimate repeats the final k_n / n at every step; entry t - 1 is "
                "the fraction of heads among the first t flips only."
            ),
            fix="np.cumsum(x) / np.arange(1, n + 1).",
            wrong={"running_mle": _mle_final_only},
        ),
        Mistake(
            "mle-off-by-one",
            diagnosis="You divide the head count k_t by t + 1 instead of t, shrinking every estimate.",
            fix="Divide by np.arange(1, n + 1).",
            wrong={"running_mle": _mle_off_by_one},
        ),
        Mistake(
            "posterior-mean-as-mle",
            diagnosis=(
                "You return (k_t + 1) / (t + 2), the posterior mean under a uniform prior; the "
                "maximum-likelihood estimate is k_t / t, with no pseudo-counts."
            ),
            fix="np.cumsum(x) / np.arange(1, n + 1).",
            wrong={"running_mle": _mle_laplace},
        ),
    ]


def _beta_pdf(grid, a, b):
    log_norm = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    return np.exp(log_norm + (a - 1) * np.log(grid) + (b - 1) * np.log1p(-grid))


def figures(g: Grader) -> None:
    ref = np.asarray(g.expected("flips"))
    yours = g.try_array("flips")
    ok = yours is not None and np.all(np.isfinite(yours)) and np.all(yours > 0)
    grid = np.linspace(0.005, 0.995, 150)
    fig = PlainFigure()
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
