import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots

Z = 1.959964


def _reference(x, sigma, m0, s0, z=Z, *, prior_var=None, data_n=None, half_power=1.0):
    """The two intervals; the keyword switches build the variants that name common mistakes."""
    n = x.shape[1] if data_n is None else data_n
    xbar = x.mean(axis=1)
    half = z * sigma / np.sqrt(n)
    conf = np.stack([xbar - half, xbar + half], axis=1)
    prior_precision = 1.0 / (s0**2 if prior_var is None else prior_var)
    precision = prior_precision + n / sigma**2
    sn = np.sqrt(1.0 / precision)
    mn = (m0 * prior_precision + n * xbar / sigma**2) / precision
    width = z * sn**half_power
    return conf, np.stack([mn - width, mn + width], axis=1)


def cases(rng: np.random.Generator) -> list[Call]:
    replicates = int(rng.integers(1500, 2500))
    sigma, n, m0, s0 = 1.0, 4, 0.0, 0.5
    fixed = rng.normal(1.0, sigma, size=(replicates, n))
    truths = rng.normal(m0, s0, size=replicates)
    drawn = truths[:, None] + rng.normal(0.0, sigma, size=(replicates, n))
    r_sigma, r_n = float(rng.uniform(0.5, 3.0)), int(rng.integers(2, 11))
    r_m0, r_s0 = float(rng.uniform(-2.0, 2.0)), float(rng.uniform(0.2, 3.0))
    random_data = rng.normal(float(rng.uniform(-3, 3)), r_sigma, size=(200, r_n))
    small = rng.normal(0.3, 2.0, size=(50, 3))
    single = rng.normal(-0.5, 1.5, size=(40, 1))
    conf_fixed, cred_fixed = _reference(fixed, sigma, m0, s0)
    conf_drawn, cred_drawn = _reference(drawn, sigma, m0, s0)
    ends = np.sort(rng.normal(size=(60, 2)), axis=1)
    mu_ends = rng.normal(size=60)
    mu_ends[:10] = ends[:10, 0]  # a truth exactly on the lower end
    mu_ends[10:20] = ends[10:20, 1]  # ... and on the upper end
    return [
        Call(
            "fixed",
            "intervals",
            (fixed, sigma, m0, s0, Z),
            label=f"{replicates} data sets of {n} values with mu = 1, sigma = 1, prior N(0, 0.5^2)",
        ),
        Call(
            "drawn",
            "intervals",
            (drawn, sigma, m0, s0, Z),
            label=f"{replicates} data sets whose means were drawn from the prior N(0, 0.5^2)",
        ),
        Call(
            "random",
            "intervals",
            (random_data, r_sigma, r_m0, r_s0, 1.644854),
            label=(
                f"200 data sets of {r_n} values, sigma = {r_sigma:.3g}, prior "
                f"N({r_m0:.3g}, {r_s0:.3g}^2), z = 1.644854"
            ),
        ),
        Call("flat", "intervals", (small, 2.0, 5.0, 1e8, Z), label="a nearly flat prior, s0 = 1e8"),
        Call(
            "certain",
            "intervals",
            (small, 2.0, 5.0, 1e-8, Z),
            label="a nearly certain prior, N(5, (1e-8)^2)",
        ),
        Call(
            "single", "intervals", (single, 1.5, 0.0, 1.0, Z), label="data sets of a single value"
        ),
        Call(
            "cov-conf-fixed",
            "coverage",
            (conf_fixed, 1.0),
            label="the confidence intervals of data sets with mu = 1",
        ),
        Call(
            "cov-cred-fixed",
            "coverage",
            (cred_fixed, 1.0),
            label="the credible intervals of data sets with mu = 1",
        ),
        Call(
            "cov-conf-drawn",
            "coverage",
            (conf_drawn, truths),
            label="the confidence intervals of data sets with mu drawn from the prior",
        ),
        Call(
            "cov-cred-drawn",
            "coverage",
            (cred_drawn, truths),
            label="the credible intervals of data sets with mu drawn from the prior",
        ),
        Call(
            "cov-ends",
            "coverage",
            (ends, mu_ends),
            label="60 intervals, 20 of whose truths sit exactly on an end",
        ),
    ]


def grade(g: Grader) -> None:
    def confidence(keys):
        def run():
            for key in keys:
                x, sigma, _, _, z = g.args(key)
                got = g.array(key, 0)
                expected = np.asarray(g.expected(key, 0))
                if np.allclose(got, expected, rtol=1e-5, atol=1e-5 * np.abs(expected).max()):
                    continue
                where = g.call(key).description
                xbar = x.mean(axis=1)
                n = x.shape[1]
                half = (got[:, 1] - got[:, 0]) / 2
                if np.allclose(half, z * sigma, rtol=1e-5) and n > 1:
                    return f"on {where} your half-width is z sigma; the standard error of a mean of n = {n} values is sigma / sqrt(n)"
                sd = x.std(axis=1, ddof=1) if n > 1 else None
                if sd is not None and np.allclose(half, z * sd / np.sqrt(n), rtol=1e-5):
                    return f"on {where} you estimated sigma from each data set; sigma = {sigma:g} is known, use it"
                if not np.allclose((got[:, 0] + got[:, 1]) / 2, xbar, rtol=1e-5, atol=1e-9):
                    return f"on {where} the confidence interval is centred on the mean of each row, xbar = x.mean(axis=1)"
                return f"on {where} the first confidence interval is {np.round(expected[0], 6)}, got {np.round(got[0], 6)}"
            return None

        return run

    g.custom(
        "confidence intervals xbar +/- z sigma / sqrt(n)",
        confidence(("fixed", "random", "single")),
        points=2,
    )

    def credible(keys):
        def run():
            for key in keys:
                x, sigma, m0, s0, z = g.args(key)
                got = g.array(key, 1)
                expected = np.asarray(g.expected(key, 1))
                if np.allclose(got, expected, rtol=1e-5, atol=1e-5 * np.abs(expected).max()):
                    continue
                where = g.call(key).description
                variants = {
                    "you used s0 where the formula has the prior variance s0^2": _reference(
                        x, sigma, m0, s0, z, prior_var=s0
                    )[1],
                    "the data contribute n / sigma^2 to the precision, not 1 / sigma^2": _reference(
                        x, sigma, m0, s0, z, data_n=1
                    )[1],
                    "the half-width is z s_n, a standard deviation, not z s_n^2": _reference(
                        x, sigma, m0, s0, z, half_power=2.0
                    )[1],
                    "that is the confidence interval: the credible interval uses the prior too": _reference(
                        x, sigma, m0, s0, z
                    )[0],
                }
                for why, value in variants.items():
                    if np.allclose(got, value, rtol=1e-5, atol=1e-9):
                        return f"on {where}: {why}"
                return f"on {where} the first credible interval is {np.round(expected[0], 6)}, got {np.round(got[0], 6)}"
            return None

        return run

    g.custom("credible intervals m_n +/- z s_n", credible(("fixed", "random", "single")), points=3)
    g.custom(
        "a flat prior gives the confidence interval, a certain prior its own mean",
        credible(("flat", "certain")),
        points=1,
    )

    def cover(keys):
        def run():
            for key in keys:
                got = g.scalar(key)
                expected = float(g.expected(key))
                if np.isclose(got, expected, rtol=0, atol=1e-12):
                    continue
                bounds, mu = g.args(key)
                where = g.call(key).description
                rows = bounds.shape[0]
                if np.isclose(got, expected * rows):
                    return f"on {where} you returned a count, {got:g}; divide by the number of intervals, {rows}"
                strict = float(np.mean((bounds[:, 0] < mu) & (mu < bounds[:, 1])))
                if np.isclose(got, strict) and not np.isclose(strict, expected):
                    return f"on {where} the ends count as inside: use <=, not <"
                if np.isclose(got, 1 - expected):
                    return f"on {where} you returned the fraction that misses, {got:g}; the coverage is {expected:g}"
                return f"on {where} the coverage is {expected:g}, got {got:g}"
            return None

        return run

    g.custom(
        "coverage with one truth for all",
        cover(("cov-conf-fixed", "cov-cred-fixed")),
        points=2,
    )
    g.custom(
        "coverage with one truth per data set, ends included",
        cover(("cov-conf-drawn", "cov-cred-drawn", "cov-ends")),
        points=2,
    )


def _coverage(bounds, mu):
    return float(np.mean((bounds[:, 0] <= mu) & (mu <= bounds[:, 1])))


def figures(g: Grader) -> None:
    conf_ref, cred_ref = (np.asarray(v) for v in g.expected("fixed"))
    conf_you, cred_you = g.try_array("fixed", 0), g.try_array("fixed", 1)
    truths = g.arg("cov-conf-drawn", 1)
    conf_ref_d, cred_ref_d = (np.asarray(v) for v in g.expected("drawn"))
    conf_you_d, cred_you_d = g.try_array("drawn", 0), g.try_array("drawn", 1)
    labels = [
        "confidence, μ = 1",
        "credible, μ = 1",
        "confidence, μ from the prior",
        "credible, μ from the prior",
    ]
    reference = [
        _coverage(conf_ref, 1.0),
        _coverage(cred_ref, 1.0),
        _coverage(conf_ref_d, truths),
        _coverage(cred_ref_d, truths),
    ]
    pieces = [(conf_you, 1.0), (cred_you, 1.0), (conf_you_d, truths), (cred_you_d, truths)]
    yours = (
        None
        if any(b is None for b, _ in pieces)
        else np.array([_coverage(b, mu) for b, mu in pieces])
    )
    fig = plots.compare_bars(
        labels,
        yours,
        np.array(reference),
        title="the fraction of your intervals that contain the truth",
        y_label="coverage",
    )
    fig.add_hline(y=0.95, line={"color": plots.NEUTRAL, "dash": "dot"})
    g.figure(fig)

    shown = 30
    seg = go.Figure()
    for bounds, name, colour, shift in (
        (cred_ref, "reference credible intervals", plots.REFERENCE, -0.15),
        (cred_you, "your credible intervals", plots.LEARNER, 0.15),
    ):
        if bounds is None or not np.all(np.isfinite(bounds[:shown])):
            continue
        xs, ys = [], []
        for r in range(shown):
            xs += [r + shift, r + shift, None]
            ys += [float(bounds[r, 0]), float(bounds[r, 1]), None]
        seg.add_scatter(x=xs, y=ys, mode="lines", name=name, line={"color": colour, "width": 3})
    seg.add_hline(
        y=1.0, line={"color": plots.NEUTRAL, "dash": "dash"}, annotation_text="true μ = 1"
    )
    seg.update_layout(
        title={
            "text": "30 credible intervals when μ = 1: the prior N(0, 0.5²) pulls them towards 0"
        },
        xaxis_title="data set",
        yaxis_title="interval for μ",
        height=380,
    )
    g.figure(seg)
