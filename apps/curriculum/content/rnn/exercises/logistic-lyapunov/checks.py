import numpy as np

from apps.sandbox.grading import Call, Grader, plots

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
                return (
                    f"lyapunov_exponent() returned NaN for r = {r:.4g}: the derivative r(1 - 2x) is "
                    "negative whenever x > 1/2, so take its absolute value before the log"
                )
        return None

    g.custom("no NaN when the derivative is negative", finite, points=1)

    def short_orbit() -> str | None:
        r = g.arg("short")
        got = g.array("short")
        want = g.expected("short")
        if np.allclose(got, want, rtol=1e-9, atol=1e-12):
            return None
        # The common slip: advancing x before taking the log, which skips y_0.
        x = np.full(3, 0.3)
        terms = []
        for _ in range(4):
            terms.append(np.log(np.abs(r * (1 - 2 * x))))
            x = r * x * (1 - x)
        shifted = np.mean(terms[1:], axis=0)
        message = (
            f"on {g.call('short').description} with r = {np.round(r, 4)} the average of "
            f"log|r(1 - 2y_k)| over y_0, y_1, y_2 is {np.round(want, 6)}, but you returned {np.round(got, 6)}"
        )
        if np.allclose(got, shifted, rtol=1e-9, atol=1e-12):
            message += (
                "; your values average y_1, y_2, y_3 instead: add the term for the current state "
                "before advancing it"
            )
        return message

    g.custom("matches term by term on a short orbit", short_orbit, points=2)
    g.custom(
        "exact value at stable fixed points",
        lambda: _fixed(g),
        points=2,
        hint="log|f_r'(x)| is the log of the derivative r(1 - 2x) at the current state, not of r or of f_r(x)",
    )
    g.check_close(
        "chaotic rates agree with the reference",
        "chaotic",
        rtol=0,
        atol=0.03,
        points=2,
        hint="at r = 4 the exponent is log 2 = 0.693 nats per step; check that you average the log of the derivative r(1 - 2x)",
    )

    def curve() -> str | None:
        got = g.array("curve")
        error = np.abs(got - g.expected("curve"))
        p90 = float(np.nanpercentile(error, 90)) if np.isfinite(error).any() else np.inf
        if not np.isfinite(error).all() or p90 > 0.05:
            worst = int(np.nanargmax(np.where(np.isfinite(error), error, np.inf)))
            return (
                f"over {g.call('curve').description} your exponents differ from the reference by more "
                f"than 0.05 for many rates; the worst is r = {GRID[worst]:.3f}: "
                f"expected {g.expected('curve')[worst]:.4f}, got {got[worst]:.4g}"
            )
        return None

    g.custom("the whole curve from 2.5 to 4", curve, points=1)


def _fixed(g: Grader) -> str | None:
    r = g.arg("fixed")
    got = g.array("fixed")
    exact = np.log(np.abs(2 - r))
    bad = ~np.isclose(got, exact, rtol=1e-6, atol=1e-8)
    if bad.any():
        i = int(np.argmax(bad))
        return (
            f"for r = {r[i]:.4f} the orbit settles at x* = 1 - 1/r = {1 - 1 / r[i]:.4f}, where the derivative "
            f"is r(1 - 2x*) = 2 - r, so the exponent is log|2 - r| = {exact[i]:.6f}; you returned {got[i]:.6g}"
        )
    return None


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
