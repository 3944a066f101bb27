import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots


def _interpolate(values: np.ndarray, h: float) -> float:
    low = min(max(int(np.floor(h)), 0), values.size - 1)
    if low >= values.size - 1:
        return float(values[-1])
    return float(values[low] + (h - low) * (values[low + 1] - values[low]))


def _quantile_variants(replicates: np.ndarray, q: float) -> list[tuple[str, list[float]]]:
    """What common wrong quantile rules give, each with the words that name the mistake."""
    r = np.sort(replicates)
    return [
        (
            "the replicates were not sorted first, and the rule reads positions in sorted order",
            [_interpolate(replicates, (replicates.size - 1) * q)],
        ),
        ("positions were counted from one (h = B q)", [_interpolate(r, r.size * q - 1)]),
        (
            "it is one of the sorted replicates, with no interpolation between neighbours",
            [float(np.quantile(r, q, method=m)) for m in ("lower", "higher")],
        ),
        (
            "it is the midpoint of two neighbours instead of a linear interpolation",
            [float(np.quantile(r, q, method="midpoint"))],
        ),
    ]


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
            "pipeline",
            "percentile_interval",
            (data[indices].mean(axis=1), 0.95),
            label="the replicates of the mean at level 0.95",
        ),
    ]


def grade(g: Grader) -> None:
    def per_resample():
        got = g.array("mean", shape=np.shape(g.output("mean")))
        data, indices, _ = g.args("mean")
        if got.shape == (indices.shape[1],) and np.allclose(got, data[indices].mean(axis=0)):
            return (
                f"you returned {got.shape[0]} numbers, one per position: you averaged across the "
                f"resamples (axis 0); reduce each resample, each row of x[indices], with axis=1 "
                f"to get B = {indices.shape[0]} replicates"
            )
        if got.shape != (indices.shape[0],):
            return f"expected one replicate per resample, shape ({indices.shape[0]},), got shape {got.shape}"
        return None

    g.custom("one replicate per resample", per_resample, points=2)
    g.check_close("the mean of each resample", "mean", rtol=1e-6, atol=1e-6, points=1)
    g.check_close("the median of each resample", "median", rtol=1e-6, atol=1e-6, points=1)
    g.check_close(
        "the median of an even number of values averages the middle two",
        "median-even",
        rtol=1e-6,
        atol=1e-6,
        hint="np.median(resamples, axis=1) does this for you",
    )
    g.check_close(
        "the identity resample gives the sample statistic", "identity", rtol=1e-6, atol=1e-6
    )
    g.check_close("constant data give constant replicates", "constant", rtol=1e-6, atol=1e-6)

    def interval(keys):
        def run():
            for key in keys:
                replicates, level = g.args(key)
                expected = np.asarray(g.expected(key))
                got = g.array(
                    key, shape=(2,), what=f"percentile_interval() on {g.call(key).description}"
                )
                if np.allclose(got, expected, rtol=1e-6, atol=1e-6):
                    continue
                where = g.call(key).description
                alpha = 1 - level
                if replicates.size > 1:
                    shifted = np.quantile(replicates, [alpha, 1 - alpha])
                    if np.allclose(got, shifted, rtol=1e-6, atol=1e-9):
                        return (
                            f"on {where} you used the quantiles {alpha:g} and {1 - alpha:g}; the interval leaves "
                            f"(1 - level)/2 in each tail, so use {alpha / 2:g} and {1 - alpha / 2:g}"
                        )
                    for name, q in (("lower", alpha / 2), ("upper", 1 - alpha / 2)):
                        value = got[0] if name == "lower" else got[1]
                        if np.isclose(value, np.quantile(replicates, q), rtol=1e-6, atol=1e-9):
                            continue
                        right = np.quantile(replicates, q)
                        for why, candidates in _quantile_variants(
                            np.asarray(replicates, dtype=float), q
                        ):
                            if any(np.isclose(value, c, rtol=1e-9, atol=1e-12) for c in candidates):
                                return (
                                    f"on {where} your {name} end is {value:.6g}: {why}. The lesson's rule "
                                    f"interpolates at h = (B - 1) q and gives {right:.6g}"
                                )
                        break
                    if np.allclose(np.sort(got), expected) and got[0] > got[1]:
                        return f"on {where} the ends are swapped: return (lower, upper)"
                return f"on {where} the interval is {np.round(expected, 6)}, got {np.round(got, 6)}"
            return None

        return run

    g.custom(
        "the 95% and 90% percentile intervals of unsorted replicates",
        interval(("ci95", "ci90", "pipeline")),
        points=3,
    )
    g.custom("level 0 gives the median twice, level 1 the extremes", interval(("level0", "level1")))
    g.custom("ties and a single replicate", interval(("ties", "single")))


def figures(g: Grader) -> None:
    reference = np.asarray(g.expected("mean"))
    yours = g.try_array("mean")
    lo, hi = np.asarray(g.expected("pipeline"))
    fig = go.Figure()
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
