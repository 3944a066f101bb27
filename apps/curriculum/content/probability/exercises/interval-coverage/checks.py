import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, PlainFigure, plots

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
    scalar_ends = np.array(
        [[0.5, 1.0], [0.5, 0.5], [-1.0, 0.5], [0.0, 0.5], [0.6, 2.0], [-3.0, 0.4], [0.25, 0.75]]
    )
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
        Call(
            "cov-ends-scalar",
            "coverage",
            (scalar_ends, 0.5),
            label="7 intervals and the truth 0.5, an end of four of them (one is [0.5, 0.5])",
        ),
    ]


def grade(g: Grader) -> None:
    g.check_close_all(
        "confidence intervals xbar +/- z sigma / sqrt(n)",
        ["fixed", "random", "single"],
        0,
        points=2,
    )
    g.check_close_all(
        "credible intervals m_n +/- z s_n", ["fixed", "random", "single"], 1, points=3
    )
    g.check_close_all(
        "a flat prior gives the confidence interval, a certain prior its own mean",
        ["flat", "certain"],
        1,
    )
    g.check_close_all(
        "coverage with one truth for all",
        ["cov-conf-fixed", "cov-cred-fixed", "cov-ends-scalar"],
        points=2,
    )
    g.check_close_all(
        "coverage with one truth per data set, ends included",
        ["cov-conf-drawn", "cov-cred-drawn", "cov-ends"],
        points=2,
    )


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _intervals(half=None, squares=True, centre_on_prior=True, width_power=1.0):
    def intervals(x, sigma, m0, s0, z=Z):
        x = np.asarray(x, dtype=float)
        n = x.shape[1]
        xbar = x.mean(axis=1)
        h = z * sigma / np.sqrt(n) if half is None else half(x, sigma, z)
        conf = np.stack([xbar - h, xbar + h], axis=1)
        p = 2 if squares else 1
        precision = 1.0 / s0**p + n / sigma**p
        sn = np.sqrt(1.0 / precision)
        mn = (m0 / s0**p + n * xbar / sigma**p) / precision if centre_on_prior else xbar
        width = z * sn**width_power
        return conf, np.stack([mn - width, mn + width], axis=1)

    return intervals


def _coverage_variant(strict=False, count=False):
    def coverage(bounds, mu):
        bounds = np.asarray(bounds, dtype=float)
        mu = np.asarray(mu, dtype=float)
        if strict:
            inside = (bounds[:, 0] < mu) & (mu < bounds[:, 1])
        else:
            inside = (bounds[:, 0] <= mu) & (mu <= bounds[:, 1])
        return float(np.sum(inside)) if count else float(np.mean(inside))

    return coverage


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "confidence-divides-by-n",
            diagnosis=(
                "Your confidence half-width is z sigma / n: the standard error of a mean of n "
                "values is sigma / sqrt(n)."
            ),
            fix="half = z * sigma / np.sqrt(n).",
            wrong={"intervals": _intervals(half=lambda x, s, z: z * s / x.shape[1])},
        ),
        Mistake(
            "confidence-no-standard-error",
            diagnosis=(
                "Your confidence half-width is z sigma, the spread of one value, not of the mean "
                "of n values."
            ),
            fix="Divide by sqrt(n): half = z * sigma / np.sqrt(n).",
            wrong={"intervals": _intervals(half=lambda x, s, z: z * s)},
        ),
        Mistake(
            "precision-without-squares",
            diagnosis=(
                "Your posterior precision is 1/s0 + n/sigma: s0 and sigma are standard "
                "deviations, and the precisions are 1/s0^2 and n/sigma^2 (the same squares "
                "belong in m_n)."
            ),
            fix="precision = 1 / s0**2 + n / sigma**2 and m_n = (m0 / s0**2 + n xbar / sigma**2) / precision.",
            wrong={"intervals": _intervals(squares=False)},
        ),
        Mistake(
            "credible-half-width-variance",
            diagnosis=(
                "Your credible half-width is z s_n^2, the posterior variance: the half-width is "
                "z times the posterior standard deviation s_n."
            ),
            fix="Take the square root: half = z * np.sqrt(1 / precision).",
            wrong={"intervals": _intervals(width_power=2.0)},
        ),
        Mistake(
            "credible-centred-on-xbar",
            diagnosis=(
                "Your credible interval is centred on xbar: its centre is the posterior mean m_n, "
                "which the prior pulls towards m0."
            ),
            fix="Centre it on m_n = s_n^2 (m0 / s0^2 + n xbar / sigma^2).",
            wrong={"intervals": _intervals(centre_on_prior=False)},
        ),
        Mistake(
            "coverage-count",
            diagnosis=(
                "Your coverage is the number of intervals that contain the truth, not the "
                "fraction of them."
            ),
            fix="Divide by the number of intervals R (or take np.mean of the booleans).",
            wrong={"coverage": _coverage_variant(count=True)},
        ),
        Mistake(
            "coverage-strict",
            diagnosis=(
                "Your coverage uses lo < mu < hi, so a truth exactly on an end counts as outside; "
                "the ends are part of the interval."
            ),
            fix="Use lo <= mu and mu <= hi.",
            wrong={"coverage": _coverage_variant(strict=True)},
        ),
    ]


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
    seg = PlainFigure()
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
