import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, PlainFigure, plots


def cases(rng: np.random.Generator) -> list[Call]:
    n = int(rng.integers(15, 31))
    data = rng.lognormal(mean=0.0, sigma=0.8, size=n)
    resamples = int(rng.integers(300, 500))
    indices = rng.integers(0, n, size=(resamples, n))
    even = rng.normal(size=2 * int(rng.integers(4, 8)))
    even_indices = rng.integers(0, even.size, size=(50, even.size))
    replicates = rng.normal(loc=2.0, scale=0.5, size=int(rng.integers(200, 400)))
    ties = np.repeat(rng.normal(size=7), [5, 1, 9, 2, 4, 1, 3])
    rng.shuffle(ties)
    return [
        Call(
            "mean",
            "bootstrap_replicates",
            (data, indices, "mean"),
            label=f"{resamples} resamples of {n} skewed values, the mean",
        ),
        Call(
            "median",
            "bootstrap_replicates",
            (data, indices, "median"),
            label=f"{resamples} resamples of {n} skewed values, the median",
        ),
        Call(
            "median-even",
            "bootstrap_replicates",
            (even, even_indices, "median"),
            label=f"the median of resamples of an even number ({even.size}) of values",
        ),
        Call(
            "identity",
            "bootstrap_replicates",
            (data, np.tile(np.arange(n), (3, 1)), "mean"),
            label="three copies of the identity resample",
        ),
        Call(
            "constant",
            "bootstrap_replicates",
            (np.full(6, 2.5), rng.integers(0, 6, size=(20, 6)), "median"),
            label="constant data",
        ),
        Call(
            "ci95",
            "percentile_interval",
            (replicates, 0.95),
            label=f"{replicates.size} unsorted replicates at level 0.95",
        ),
        Call(
            "ci90",
            "percentile_interval",
            (replicates, 0.9),
            label=f"{replicates.size} unsorted replicates at level 0.9",
        ),
        Call("level0", "percentile_interval", (replicates, 0.0), label="level 0"),
        Call("level1", "percentile_interval", (replicates, 1.0), label="level 1"),
        Call(
            "ties", "percentile_interval", (ties, 0.8), label="25 replicates with ties, level 0.8"
        ),
        Call("single", "percentile_interval", (np.array([3.25]), 0.95), label="a single replicate"),
        Call(
            "five",
            "percentile_interval",
            (np.array([3.0, 1.0, 4.0, 1.5, 5.0]), 0.9),
            label="the replicates [3, 1, 4, 1.5, 5] at level 0.9 (the upper end between the top two)",
        ),
        Call(
            "pipeline",
            "percentile_interval",
            (data[indices].mean(axis=1), 0.95),
            label="the replicates of the mean at level 0.95",
        ),
    ]


def grade(g: Grader) -> None:
    g.check_close("one replicate per resample, the mean of each", "mean", points=2)
    g.check_close("the median of each resample", "median", points=1)
    g.check_close("the median of an even number of values averages the middle two", "median-even")
    g.check_close("the identity resample gives the sample statistic", "identity")
    g.check_close("constant data give constant replicates", "constant")
    g.check_close_all(
        "the 95% and 90% percentile intervals of unsorted replicates",
        ["ci95", "ci90", "pipeline"],
        points=3,
    )
    g.check_close_all("level 0 gives the median twice, level 1 the extremes", ["level0", "level1"])
    g.check_close_all("ties, a single replicate and five replicates", ["ties", "single", "five"])


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _reduce(axis, median=np.median):
    def replicates(x, indices, statistic="mean"):
        resamples = np.asarray(x, dtype=float)[np.asarray(indices)]
        if statistic == "mean":
            return resamples.mean(axis=axis)
        return median(resamples, axis=axis)

    return replicates


def _upper_middle(resamples, axis):
    return np.sort(resamples, axis=1)[:, resamples.shape[1] // 2]


def _interval(position, interpolate=True, sort=True, tails=2.0):
    def interval(replicates, level=0.95):
        r = np.asarray(replicates, dtype=float)
        r = np.sort(r) if sort else r
        alpha = 1.0 - level

        def quantile(q):
            h = position(r.size, q)
            low = int(np.floor(h))
            if low >= r.size - 1:
                return float(r[-1])
            step = (h - low) * (r[low + 1] - r[low]) if interpolate else 0.0
            return float(r[low] + step)

        return quantile(alpha / tails), quantile(1 - alpha / tails)

    return interval


def _zero_based(size, q):
    return (size - 1) * q


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "reduce-axis-0",
            diagnosis=(
                "You reduce over axis 0, across the resamples, instead of within each resample: "
                "you return one number per position (n of them) instead of one per resample (B)."
            ),
            fix="Each row of x[indices] is a resample: reduce with axis=1.",
            wrong={"bootstrap_replicates": _reduce(0)},
        ),
        Mistake(
            "median-upper-middle",
            diagnosis=(
                "You take the sorted middle value [n // 2] as the median: for an even n that is "
                "the upper of the two middle values, not their average."
            ),
            fix="Use np.median(resamples, axis=1).",
            wrong={"bootstrap_replicates": _reduce(1, median=_upper_middle)},
        ),
        Mistake(
            "not-sorted",
            diagnosis=(
                "You read order statistics from the replicates as they come, unsorted: position h "
                "of an unsorted array is not the h-th smallest value."
            ),
            fix="Sort first: r = np.sort(replicates).",
            wrong={"percentile_interval": _interval(_zero_based, sort=False)},
        ),
        Mistake(
            "tails-not-halved",
            diagnosis=(
                "You take the quantiles 1 - level and level (0.05 and 0.95 for a 95% interval): "
                "the interval leaves (1 - level)/2 in each tail, so 0.025 and 0.975."
            ),
            fix="Use alpha / 2 and 1 - alpha / 2 with alpha = 1 - level.",
            wrong={"percentile_interval": _interval(_zero_based, tails=1.0)},
        ),
        Mistake(
            "position-counts-from-one",
            diagnosis=(
                "You place the q-quantile at h = B q; counting positions from zero, the rule is "
                "h = (B - 1) q."
            ),
            fix="h = (B - 1) * q.",
            wrong={"percentile_interval": _interval(lambda size, q: min(size * q, size - 1))},
        ),
        Mistake(
            "no-interpolation",
            diagnosis=(
                "You return the order statistic r[floor(h)] without interpolating towards the next "
                "one, r[floor(h) + 1]."
            ),
            fix="Add (h - floor(h)) * (r[floor(h) + 1] - r[floor(h)]).",
            wrong={"percentile_interval": _interval(_zero_based, interpolate=False)},
        ),
    ]


def figures(g: Grader) -> None:
    reference = np.asarray(g.expected("mean"))
    yours = g.try_array("mean")
    lo, hi = np.asarray(g.expected("pipeline"))
    fig = PlainFigure()
    span = (float(reference.min()), float(reference.max()))
    for values, name, colour in (
        (reference, "reference replicates", plots.REFERENCE),
        (yours, "your replicates", plots.LEARNER),
    ):
        if values is None or not np.all(np.isfinite(values)):
            continue
        counts, edges = np.histogram(values, bins=30, range=span)
        fig.add_bar(
            x=(edges[:-1] + edges[1:]) / 2,
            y=counts,
            width=edges[1] - edges[0],
            name=name,
            marker_color=colour,
            opacity=0.5,
        )
    fig.add_vline(x=float(lo), line={"color": plots.REFERENCE, "dash": "dash"})
    fig.add_vline(x=float(hi), line={"color": plots.REFERENCE, "dash": "dash"})
    got = g.try_array("pipeline", shape=(2,))
    if got is not None and np.all(np.isfinite(got)):
        for end in got:
            fig.add_vline(
                x=float(np.clip(end, span[0] - 1, span[1] + 1)),
                line={"color": plots.LEARNER, "dash": "dot"},
            )
    fig.update_layout(
        barmode="overlay",
        title={"text": "bootstrap replicates of the mean, with the 95% percentile interval"},
        xaxis_title="mean of a resample",
        yaxis_title="count",
        height=380,
    )
    g.figure(fig)
