import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots

GRID = np.linspace(2.5, 4.0, 151)


def cases(rng: np.random.Generator) -> list[Call]:
    fixed = np.sort(rng.uniform(2.2, 2.9, size=4))
    chaotic = np.array([3.7, 3.8, 3.9, 4.0])
    short_r = rng.uniform(3.0, 4.0, size=3)
    x0 = float(rng.uniform(0.1, 0.4))
    return [
        Call(
            "fixed",
            "lyapunov_exponent",
            (np.concatenate([[2.5], fixed]),),
            label="growth rates between 2.2 and 2.9, where the orbit settles at a stable fixed point",
        ),
        Call(
            "chaotic",
            "lyapunov_exponent",
            (chaotic,),
            {"x0": x0},
            label=f"the chaotic rates r = 3.7, 3.8, 3.9, 4.0 from x0 = {x0:.3f}",
        ),
        Call(
            "period2",
            "lyapunov_exponent",
            (np.array([3.2, 3.3]),),
            label="r = 3.2 and 3.3 with the default arguments, where the orbit settles on a "
            "stable cycle of period 2",
        ),
        Call(
            "period2-one",
            "lyapunov_exponent",
            (np.array([3.2, 3.3]),),
            {"steps": 1},
            label="r = 3.2 and 3.3 on their 2-cycle, one term after the default burn-in (steps = 1)",
        ),
        Call(
            "short",
            "lyapunov_exponent",
            (short_r,),
            {"x0": 0.3, "burn_in": 0, "steps": 3},
            label="a short orbit: x0 = 0.3, burn_in = 0, steps = 3",
        ),
        Call(
            "curve",
            "lyapunov_exponent",
            (GRID,),
            {"burn_in": 500, "steps": 3000},
            label="151 rates from 2.5 to 4.0 (burn_in = 500, steps = 3000)",
        ),
    ]


def grade(g: Grader) -> None:
    def finite() -> str | None:
        for key in ("fixed", "chaotic", "curve"):
            got = g.array(key)
            if np.isnan(got).any():
                r = g.arg(key)[np.argmax(np.isnan(got))]
                return f"lyapunov_exponent() returned NaN for r = {r:.6g}"
        return None

    g.custom("no NaN when the derivative is negative", finite, points=1)
    g.check_close("matches term by term on a short orbit", "short", points=2)
    g.custom("exact value at stable fixed points", lambda: _fixed(g), points=2)
    g.check_close_all(
        "a stable 2-cycle with the default arguments", ("period2", "period2-one"), points=1
    )
    # Rounding makes two correct chaotic orbits part after a few dozen steps; their averages
    # over 10^4 steps agree to about 0.01 (the lesson measures a spread of 0.003).
    g.check_close("chaotic rates agree with the reference", "chaotic", rtol=0, atol=0.03, points=2)

    def curve() -> str | None:
        got = g.array("curve")
        error = np.abs(got - g.expected("curve"))
        p90 = float(np.nanpercentile(error, 90)) if np.isfinite(error).any() else np.inf
        if not np.isfinite(error).all() or p90 > 0.05:
            worst = int(np.nanargmax(np.where(np.isfinite(error), error, np.inf)))
            return (
                f"over {g.call('curve').description} your exponents differ from the reference by more "
                f"than 0.05 for many rates; the worst is r = {GRID[worst]:.3f}: "
                f"expected {g.expected('curve')[worst]:.6g}, got {got[worst]:.6g}"
            )
        return None

    g.custom("the whole curve from 2.5 to 4", curve, points=1)


def _fixed(g: Grader) -> str | None:
    r = g.arg("fixed")
    got = g.array("fixed", shape=r.shape)
    exact = np.log(np.abs(2 - r))
    bad = ~np.isclose(got, exact, rtol=1e-5, atol=1e-6)
    if bad.any():
        i = int(np.argmax(bad))
        return (
            f"for r = {r[i]:.6g} the orbit settles at x* = 1 - 1/r = {1 - 1 / r[i]:.6g}, where the derivative "
            f"is r(1 - 2x*) = 2 - r, so the exponent is log|2 - r| = {exact[i]:.8g}; you returned {got[i]:.8g}"
        )
    return None


# --- known mistakes ------------------------------------------------------------------------
def _orbit_average(
    r, x0, burn_in, steps, term, advance_first=False, count_burn_in=False, divisor=None
):
    r = np.asarray(r, dtype=float)
    x = np.full(r.shape, float(x0))
    total = np.zeros(r.shape)
    with np.errstate(all="ignore"):
        for _ in range(burn_in):
            if count_burn_in:
                total += term(r, x)
            x = r * x * (1 - x)
        for _ in range(steps):
            if advance_first:
                x = r * x * (1 - x)
                total += term(r, x)
            else:
                total += term(r, x)
                x = r * x * (1 - x)
        return total / (steps if divisor is None else divisor(burn_in, steps))


def _log_abs(r, x):
    return np.log(np.abs(r * (1 - 2 * x)))


def _advance_first(r, x0=0.4, burn_in=1000, steps=10000):
    return _orbit_average(r, x0, burn_in, steps, _log_abs, advance_first=True)


def _no_abs(r, x0=0.4, burn_in=1000, steps=10000):
    return _orbit_average(r, x0, burn_in, steps, lambda r, x: np.log(r * (1 - 2 * x)))


def _counts_burn_in(r, x0=0.4, burn_in=1000, steps=10000):
    return _orbit_average(
        r, x0, burn_in, steps, _log_abs, count_burn_in=True, divisor=lambda b, s: b + s
    )


def _steps_minus_one(r, x0=0.4, burn_in=1000, steps=10000):
    return _orbit_average(r, x0, burn_in, steps, _log_abs, divisor=lambda b, s: s - 1)


def _log2(r, x0=0.4, burn_in=1000, steps=10000):
    return _orbit_average(r, x0, burn_in, steps, lambda r, x: np.log2(np.abs(r * (1 - 2 * x))))


def _wrong_derivative(r, x0=0.4, burn_in=1000, steps=10000):
    return _orbit_average(r, x0, burn_in, steps, lambda r, x: np.log(np.abs(r * (1 - x))))


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "advance-first",
            diagnosis=(
                "You advance x before adding its term, so you average y_1 .. y_steps and skip y_0, "
                "the state right after the burn-in."
            ),
            fix="Add log|r(1 - 2x)| for the current x first, then apply the map.",
            wrong=_advance_first,
        ),
        Mistake(
            "no-absolute-value",
            diagnosis=(
                "You take the log of r(1 - 2x) itself, which is negative whenever x > 1/2: the "
                "log of a negative number is NaN."
            ),
            fix="np.log(np.abs(r * (1 - 2 * x))).",
            wrong=_no_abs,
        ),
        Mistake(
            "counts-burn-in",
            diagnosis=(
                "You also add the terms of the burn-in and divide by burn_in + steps, so the "
                "transient the burn-in should forget is averaged in."
            ),
            fix="Accumulate only over the steps after the burn-in, and divide by steps.",
            wrong=_counts_burn_in,
        ),
        Mistake(
            "divides-by-steps-minus-one",
            diagnosis="You divide the sum of steps terms by steps - 1; an average of N terms divides by N.",
            fix="total / steps.",
            wrong=_steps_minus_one,
        ),
        Mistake(
            "log2",
            diagnosis=(
                "You use np.log2, so your exponent is in bits per step, 1/log 2 = 1.4427 times "
                "the value in nats."
            ),
            fix="Use the natural logarithm, np.log.",
            wrong=_log2,
        ),
        Mistake(
            "wrong-derivative",
            diagnosis=(
                "You take the log of r(1 - x), which is not the derivative of f_r(x) = r x (1 - x); "
                "the derivative is f_r'(x) = r(1 - 2x)."
            ),
            fix="np.log(np.abs(r * (1 - 2 * x))).",
            wrong=_wrong_derivative,
        ),
    ]


def figures(g: Grader) -> None:
    yours = g.try_array("curve")
    fig = plots.compare_lines(
        GRID,
        yours,
        g.expected("curve"),
        title="Lyapunov exponent of the logistic map (positive means chaos)",
        x_label="growth rate r",
        y_label="λ (nats per step)",
    )
    fig.add_hline(y=0, line={"color": plots.NEUTRAL, "dash": "dot"})
    fig.update_yaxes(range=[-2.5, 1.0])
    g.figure(fig)
