import math

import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, PlainFigure, plots


def cases(rng: np.random.Generator) -> list[Call]:
    a, b = (int(v) for v in rng.integers(2, 41, size=2))
    grid = np.concatenate([[0.0], np.sort(rng.uniform(0.0, 1.0, size=40)), [1.0]])
    a_i, b_i = (int(v) for v in rng.integers(1, 41, size=2))
    level = float(rng.choice([0.8, 0.9, 0.95, 0.99]))
    return [
        Call("cdf-uniform", "beta_cdf", (grid, 1, 1), label="Beta(1, 1) on [0, 1], ends included"),
        Call("cdf-power", "beta_cdf", (grid, 4, 1), label="Beta(4, 1), where F(t) = t^4"),
        Call("cdf-random", "beta_cdf", (grid, a, b), label=f"Beta({a}, {b})"),
        Call(
            "cdf-matrix",
            "beta_cdf",
            (grid[1:41].reshape(5, 8), a, b),
            label=f"Beta({a}, {b}) on a (5, 8) array of t",
        ),
        Call(
            "cdf-large",
            "beta_cdf",
            (np.array([0.0, 0.5, 0.55, 0.58, 0.6, 0.62, 0.65, 1.0]), 700, 500),
            label="Beta(700, 500), where binomial coefficients overflow",
        ),
        Call("ci-uniform", "beta_credible_interval", (1, 1, 0.9), label="Beta(1, 1) at level 0.9"),
        Call("ci-power", "beta_credible_interval", (4, 1, 0.95), label="Beta(4, 1) at level 0.95"),
        Call(
            "ci-lesson",
            "beta_credible_interval",
            (61, 41, 0.95),
            label="the lesson's Beta(61, 41) at level 0.95",
        ),
        Call(
            "ci-skewed",
            "beta_credible_interval",
            (1, 60, 0.95),
            label="the skewed Beta(1, 60) at level 0.95",
        ),
        Call(
            "ci-random",
            "beta_credible_interval",
            (a_i, b_i, level),
            label=f"Beta({a_i}, {b_i}) at level {level:g}",
        ),
        Call(
            "ci-large",
            "beta_credible_interval",
            (700, 500, 0.95),
            label="Beta(700, 500) at level 0.95",
        ),
        # tails of 5e-5, where the density is small: rounding the level (1.7e-8) or F (6e-8)
        # to float32 moves the ends by 2e-6 or more
        Call(
            "ci-tails",
            "beta_credible_interval",
            (61, 41, 0.9999),
            label="the lesson's Beta(61, 41) at level 0.9999",
        ),
        Call("ci-zero", "beta_credible_interval", (a, b, 0.0), label=f"Beta({a}, {b}) at level 0"),
        Call("ci-one", "beta_credible_interval", (a, b, 1.0), label=f"Beta({a}, {b}) at level 1"),
        # F rounds to 1 well before t = 1 here, so a bisection for q = 1 stops short
        Call(
            "ci-one-lesson",
            "beta_credible_interval",
            (61, 41, 1.0),
            label="the lesson's Beta(61, 41) at level 1",
        ),
    ]


def grade(g: Grader) -> None:
    # The prompt asks for float64 (precision: float64 in exercise.yaml: the logarithms of
    # the binomial coefficients of Beta(700, 500) are in the thousands and cancel to order
    # one) and states these tolerances: F to a relative 1e-6 (absolute 1e-10 near zero),
    # interval ends to an absolute 1e-7.
    g.check_close_all(
        "F(t) = t for Beta(1, 1) and t^4 for Beta(4, 1), ends included",
        ("cdf-uniform", "cdf-power"),
        rtol=1e-6,
        atol=1e-10,
        points=2,
    )
    g.check_close_all(
        "the binomial tail for random parameters",
        ("cdf-random", "cdf-matrix"),
        rtol=1e-6,
        atol=1e-10,
        points=2,
    )
    g.check_close("no overflow for Beta(700, 500)", "cdf-large", rtol=1e-6, atol=1e-10, points=1)
    g.check_close_all(
        "the closed-form cases: Beta(1, 1) and Beta(4, 1)",
        ("ci-uniform", "ci-power"),
        rtol=0,
        atol=1e-7,
        points=2,
    )
    g.check_close_all(
        "the lesson's posterior, a skewed one and a random one",
        ("ci-lesson", "ci-skewed", "ci-random"),
        rtol=0,
        atol=1e-7,
        points=2,
    )
    g.check_close("a posterior with m = 1199", "ci-large", rtol=0, atol=1e-7)
    g.check_close("a 99.99% interval, with tails of 5e-5", "ci-tails", rtol=0, atol=1e-7)
    g.check_close("level 0 gives the median", "ci-zero", rtol=0, atol=1e-7)
    # The prompt asks for (0, 1) exactly at level 1.
    g.check_close_all(
        "level 1 gives the whole of [0, 1]", ("ci-one", "ci-one-lesson"), rtol=0, atol=0
    )


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _cdf(t, a, b, *, m_extra=0, stop=1, naive=False):
    """The binomial tail with the learner's possible slips: m = a + b - 1 + m_extra, the sum
    over j = a .. m - 1 + stop, and naive=True multiplying math.comb by the powers."""
    t = np.asarray(t, dtype=float)
    a, b = int(a), int(b)
    m = a + b - 1 + m_extra
    out = np.empty(t.size)
    for i, v in enumerate(t.ravel()):
        v = float(v)
        if v <= 0.0:
            out[i] = 0.0
            continue
        if v >= 1.0:
            out[i] = 1.0
            continue
        total = 0.0
        lt, l1t = math.log(v), math.log1p(-v)
        for j in range(a, m + stop):
            if naive:
                total += math.comb(m, j) * v**j * (1 - v) ** (m - j)
            else:
                total += math.exp(
                    math.lgamma(m + 1)
                    - math.lgamma(j + 1)
                    - math.lgamma(m - j + 1)
                    + j * lt
                    + (m - j) * l1t
                )
        out[i] = min(total, 1.0)
    return out.reshape(t.shape)


def _interval(cdf, *, steps=60, flipped=False, direct=True, tails=2.0):
    def quantile(q, a, b):
        lo, hi = 0.0, 1.0
        for _ in range(steps):
            mid = 0.5 * (lo + hi)
            if (cdf(mid, a, b) < q) != flipped:
                lo = mid
            else:
                hi = mid
        return 0.5 * (lo + hi)

    def interval(a, b, level=0.95):
        if direct and level >= 1:
            return 0.0, 1.0
        q = (1 - level) / tails
        return quantile(q, a, b), quantile(1 - q, a, b)

    return interval


def _both(**slips):
    def cdf(t, a, b):
        return _cdf(t, a, b, **slips)

    return {"beta_cdf": cdf, "beta_credible_interval": _interval(cdf)}


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "naive-binomial-overflow",
            diagnosis=(
                "Your CDF multiplies math.comb(m, j) by t**j and (1 - t)**(m - j) directly: for "
                "Beta(700, 500), m = 1199 and math.comb(1199, 600) is about 10^359, beyond the "
                "largest float, while the powers underflow to 0."
            ),
            fix=(
                "Add logarithms and exponentiate each term: math.lgamma(m + 1) - math.lgamma(j + 1) "
                "- math.lgamma(m - j + 1) + j * log(t) + (m - j) * log1p(-t)."
            ),
            wrong=_both(naive=True),
        ),
        Mistake(
            "m-is-a-plus-b",
            diagnosis=(
                "Your binomial tail uses m = a + b draws; Beta(a, b) is the a-th smallest of "
                "m = a + b - 1 uniform draws."
            ),
            fix="Set m = a + b - 1 (Beta(1, 1) must give F(t) = t).",
            wrong=_both(m_extra=1),
        ),
        Mistake(
            "sum-misses-j-equals-m",
            diagnosis=(
                "Your sum over j stops at m - 1 (range(a, m)): the last term j = m, which is t^m, "
                "is missing, so Beta(1, 1) gives 0 instead of t at every t inside (0, 1)."
            ),
            fix="Sum over j = a, ..., m inclusive: range(a, m + 1).",
            wrong=_both(stop=0),
        ),
        Mistake(
            "bisection-moves-wrong-end",
            diagnosis=(
                "Your bisection moves the wrong end: when F(mid) < q the quantile lies above mid, "
                "but you set hi = mid, so the bracket runs away to an end of [0, 1]."
            ),
            fix="If F(mid) < q set lo = mid, else hi = mid.",
            wrong={"beta_credible_interval": _interval(_cdf, flipped=True)},
        ),
        Mistake(
            "tails-not-halved",
            diagnosis=(
                "Your lower end is the (1 - level)-quantile, e.g. 0.05 for a 95% interval: the "
                "excluded probability 1 - level must be split between the two tails."
            ),
            fix="Use q = (1 - level) / 2 for the lower end and 1 - q for the upper.",
            wrong={"beta_credible_interval": _interval(_cdf, tails=1.0)},
        ),
        Mistake(
            "too-few-halvings",
            diagnosis=(
                "Your bisection stops after about 20 halvings, leaving the ends about 1e-6 from "
                "the quantiles; the checks ask for 1e-7."
            ),
            fix="Halve about 50 times: 2^-50 is below 1e-15.",
            # Its ends are off by about 1e-6, inside the default tolerance the matching of a
            # wrong implementation uses, so it is recognised by its values instead.
            predicate=_too_few_halvings,
            cases=INTERVAL_CASES,
        ),
        Mistake(
            "level-one-by-bisection",
            diagnosis=(
                "At level 1 your interval comes from bisection: F(t) rounds to exactly 1 a little "
                "before t = 1, so the upper end stops short of 1 (and the lower end is a tiny "
                "positive number instead of 0)."
            ),
            fix="Return the ends directly: 0.0 when q <= 0 and 1.0 when q >= 1.",
            predicate=_level_one_by_bisection,
            cases=("ci-zero", "ci-one", "ci-one-lesson"),
        ),
    ]


INTERVAL_CASES = (
    "ci-uniform",
    "ci-power",
    "ci-lesson",
    "ci-skewed",
    "ci-random",
    "ci-large",
    "ci-zero",
    "ci-one",
    "ci-one-lesson",
)


def _too_few_halvings(g: Grader) -> bool:
    """Every interval end within 1e-4 of the quantile, and some end more than 1e-7 off."""
    worst = 0.0
    for key in INTERVAL_CASES:
        got = g.try_array(key, shape=(2,))
        if got is None or not np.all(np.isfinite(got)):
            return False
        worst = max(worst, float(np.max(np.abs(got - np.asarray(g.expected(key))))))
    return 1e-7 < worst <= 1e-4


def _level_one_by_bisection(g: Grader) -> bool:
    for key in ("ci-one", "ci-one-lesson"):
        got = g.try_array(key, shape=(2,))
        if (
            got is not None
            and bool(np.all(np.isfinite(got)))
            and 0.0 <= got[0] < 1e-7
            and 0.5 < got[1] < 1.0 - 1e-7
        ):
            return True
    return False


def figures(g: Grader) -> None:
    t, a, b = g.args("cdf-random")
    g.figure(
        plots.compare_lines(
            t,
            g.try_array("cdf-random"),
            np.asarray(g.expected("cdf-random")),
            title=f"the cumulative distribution function of Beta({a}, {b})",
            x_label="t",
            y_label="F(t)",
        )
    )
    grid = np.linspace(0.3, 0.85, 221)
    log_density = (
        60 * np.log(grid)
        + 40 * np.log1p(-grid)
        + math.lgamma(102)
        - math.lgamma(61)
        - math.lgamma(41)
    )
    fig = PlainFigure()
    fig.add_scatter(
        x=grid, y=np.exp(log_density), name="Beta(61, 41) density", line={"color": plots.NEUTRAL}
    )
    lo, hi = np.asarray(g.expected("ci-lesson"))
    fig.add_vrect(x0=lo, x1=hi, fillcolor=plots.REFERENCE, opacity=0.15, line_width=0)
    fig.add_vline(x=float(lo), line={"color": plots.REFERENCE})
    fig.add_vline(x=float(hi), line={"color": plots.REFERENCE}, annotation_text="reference")
    yours = g.try_array("ci-lesson", shape=(2,))
    if yours is not None and np.all(np.isfinite(yours)):
        for end in np.clip(yours, 0.3, 0.85):
            fig.add_vline(x=float(end), line={"color": plots.LEARNER, "dash": "dash"})
    fig.update_layout(
        title={"text": "60 heads in 100 flips, uniform prior: the 95% credible interval"},
        xaxis_title="probability of heads θ",
        yaxis_title="posterior density",
        height=380,
    )
    g.figure(fig)
