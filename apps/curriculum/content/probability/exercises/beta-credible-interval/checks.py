import math

import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots


def _tail(t: np.ndarray, start: int, m: int) -> np.ndarray:
    """sum_{j=start}^{m} C(m, j) t^j (1 - t)^(m - j), in logs; for naming off-by-one mistakes."""
    j = np.arange(max(start, 0), m + 1)
    if j.size == 0:
        return np.where(t >= 1, 1.0, 0.0)
    log_comb = np.array(
        [math.lgamma(m + 1) - math.lgamma(k + 1) - math.lgamma(m - k + 1) for k in j]
    )
    inside = np.clip(t, 1e-300, 1 - 1e-16)[..., None]
    value = np.exp(log_comb + j * np.log(inside) + (m - j) * np.log1p(-inside)).sum(axis=-1)
    return np.where(t <= 0, 0.0, np.where(t >= 1, 1.0, value))


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
        Call("ci-zero", "beta_credible_interval", (a, b, 0.0), label=f"Beta({a}, {b}) at level 0"),
        Call("ci-one", "beta_credible_interval", (a, b, 1.0), label=f"Beta({a}, {b}) at level 1"),
    ]


def grade(g: Grader) -> None:
    def cdf(keys):
        def run():
            for key in keys:
                t, a, b = g.args(key)
                expected = np.asarray(g.expected(key))
                got = g.array(key)
                where = g.call(key).description
                bad = ~np.isfinite(got)
                if bad.any():
                    index = tuple(int(i) for i in np.argwhere(bad)[0])
                    return f"on {where} you returned {got[index]} at t = {t[index]:g}: " + (
                        "log(0) is -inf at the ends t = 0 and t = 1; set F(0) = 0 and F(1) = 1 directly"
                        if t[index] in (0.0, 1.0)
                        else "huge binomial coefficients times tiny powers give inf * 0; add logarithms instead"
                    )
                if np.allclose(got, expected, rtol=1e-6, atol=1e-10):
                    continue
                m = a + b - 1
                named = {
                    f"the sum should start at j = a = {a}, not at j = {a + 1}": _tail(t, a + 1, m),
                    f"the sum should start at j = a = {a}, not at j = {a - 1}": _tail(t, a - 1, m),
                    f"m is a + b - 1 = {m}, not a + b = {m + 1}": _tail(t, a, m + 1),
                    "that is P(Theta > t), one minus the CDF: sum from j = a upwards": 1 - expected,
                }
                for why, value in named.items():
                    if np.allclose(got, value, rtol=1e-6, atol=1e-10):
                        return f"on {where}: {why}"
                worst = np.unravel_index(int(np.argmax(np.abs(got - expected))), got.shape)
                return (
                    f"on {where}, F({t[worst]:.4g}) = {expected[worst]:.6g}, "
                    f"but you returned {got[worst]:.6g}"
                )
            return None

        return run

    g.custom(
        "F(t) = t for Beta(1, 1) and t^4 for Beta(4, 1), ends included",
        cdf(("cdf-uniform", "cdf-power")),
        points=2,
    )
    g.custom("the binomial tail for random parameters", cdf(("cdf-random", "cdf-matrix")), points=2)
    g.custom(
        "no overflow for Beta(700, 500)",
        cdf(("cdf-large",)),
        points=1,
        hint="math.comb(1199, 600) is about 10^359, beyond the largest float; work with math.lgamma",
    )

    def interval(keys):
        def run():
            for key in keys:
                level = g.args(key)[2]
                expected = np.asarray(g.expected(key))
                got = g.array(
                    key, shape=(2,), what=f"beta_credible_interval() on {g.call(key).description}"
                )
                where = g.call(key).description
                if np.allclose(got, expected, rtol=0, atol=1e-7):
                    continue
                if np.allclose(got[::-1], expected, rtol=0, atol=1e-7):
                    return f"on {where} the ends are swapped: return (lower, upper)"
                if level == 1.0 and np.isclose(got[0], 0.0, atol=1e-7):
                    return (
                        f"at level 1 the interval is the whole of [0, 1], but your upper end is {got[1]:.8g}: "
                        "F(t) rounds to exactly 1 before t reaches 1, so bisection for q = 1 stops short; "
                        "return the ends 0 and 1 directly when q is 0 or 1"
                    )
                if np.allclose(got, expected, rtol=0, atol=1e-4):
                    return (
                        f"on {where} your ends {np.round(got, 8)} are within 1e-4 of the quantiles "
                        f"{np.round(expected, 8)} but not within 1e-7: bisect longer (each step halves the bracket)"
                    )
                tail = (1 - level) / 2
                return (
                    f"on {where} the ends are the {tail:g}- and {1 - tail:g}-quantiles "
                    f"{np.round(expected, 6)}, but you returned {np.round(got, 6)}"
                )
            return None

        return run

    g.custom(
        "the closed-form cases: Beta(1, 1) and Beta(4, 1)",
        interval(("ci-uniform", "ci-power")),
        points=2,
    )
    g.custom(
        "the lesson's posterior, a skewed one and a random one",
        interval(("ci-lesson", "ci-skewed", "ci-random")),
        points=2,
    )
    g.custom("a posterior with m = 1199", interval(("ci-large",)))
    g.custom(
        "level 0 gives the median, level 1 the whole of [0, 1]", interval(("ci-zero", "ci-one"))
    )


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
    fig = go.Figure()
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
