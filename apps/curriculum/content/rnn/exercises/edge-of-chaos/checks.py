import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, PlainFigure, plots

EXACT = (1e-5, 1e-5)
CHAOS_ATOL = 0.08
CURVE_MAX = 0.2  # measured: correct runs from float32-rounded inputs differ by up to 0.104
CURVE_GAINS = np.linspace(0.2, 3.0, 15)
MF_GAINS = np.linspace(0.2, 3.0, 57)


def _quadrature(m=60):
    nodes, weights = np.polynomial.hermite_e.hermegauss(m)
    return nodes, weights / weights.sum()


def _lyap(W, gains, h0, delta0, burn_in, steps, variant=""):
    W = np.asarray(W, dtype=float)
    out = []
    h = np.array(h0, dtype=float)
    for g in np.asarray(gains, dtype=float):
        if variant != "state-not-reset":
            h = np.array(h0, dtype=float)
        for _ in range(burn_in):
            h = np.tanh(g * (W @ h))
        d = np.array(delta0, dtype=float)
        if variant != "unnormalised-start":
            d = d / np.linalg.norm(d)
        total = 0.0
        with np.errstate(all="ignore"):
            for _ in range(steps):
                old = h
                h = np.tanh(g * (W @ h))
                derivative = 1.0 - (old * old if variant == "old-state" else h * h)
                d = derivative * (g * (W @ d))
                size = np.linalg.norm(d)
                total += np.log10(size) if variant == "log10" else np.log(size)
                d = d / size
        out.append(total / steps)
    return np.array(out)


def _mf(gains, nodes, weights, n_iter, variant=""):
    nodes, weights = np.asarray(nodes, dtype=float), np.asarray(weights, dtype=float)
    out = []
    q = 1.0
    with np.errstate(all="ignore"):
        for g in np.asarray(gains, dtype=float):
            if variant != "q-not-reset":
                q = 1.0
            for _ in range(n_iter):
                scale = q if variant == "no-sqrt" else np.sqrt(q)
                q = g * g * float(weights @ np.tanh(scale * nodes) ** 2)
            t2 = np.tanh((q if variant == "no-sqrt" else np.sqrt(q)) * nodes) ** 2
            slope = (1.0 - t2) if variant == "chi-not-squared" else (1.0 - t2) ** 2
            chi = g * g * float(weights @ slope)
            out.append(np.log(chi) if variant == "no-half" else 0.5 * np.log(chi))
    return np.array(out)


def cases(rng: np.random.Generator) -> list[Call]:
    def network(n):
        return rng.normal(size=(n, n)) / np.sqrt(n), rng.normal(size=n), 3.0 * rng.normal(size=n)

    W10, h10, d10 = network(10)
    W7, h7, d7 = network(7)
    W60, h60, d60 = network(60)
    W40, _, d40 = network(40)
    W100, h100, d100 = network(100)
    W64, h64, d64 = network(64)
    nodes, weights = _quadrature()
    mf_gains = np.sort(rng.uniform(0.3, 3.5, size=6))
    return [
        Call(
            "short",
            "max_lyapunov",
            (W10, np.array([0.5, 1.5, 3.0]), h10, d10, 0, 3),
            label="10 units, gains 0.5, 1.5, 3, no burn-in, 3 steps",
        ),
        Call(
            "short-burn",
            "max_lyapunov",
            (W10, np.array([0.8, 2.5]), h10, d10, 5, 4),
            label="10 units, gains 0.8 and 2.5, burn_in = 5, steps = 4",
        ),
        Call(
            "one-step",
            "max_lyapunov",
            (W7, np.array([2.0, 0.4, 1.2, 3.0]), h7, d7, 1, 1),
            label="7 units, gains 2, 0.4, 1.2, 3, burn_in = 1, steps = 1",
        ),
        Call(
            "ordered",
            "max_lyapunov",
            (W60, np.array([0.3, 0.6, 0.8]), h60, d60, 100, 300),
            label="60 units at the ordered gains 0.3, 0.6, 0.8",
        ),
        Call(
            "zero",
            "max_lyapunov",
            (W40, np.array([0.5, 2.0]), np.zeros(40), d40, 0, 200),
            label="40 units started at h = 0, gains 0.5 and 2",
        ),
        # Without renormalising, the perturbation grows like e^(2000 lambda) and overflows.
        Call(
            "chaotic",
            "max_lyapunov",
            (W100, np.array([2.0, 3.0]), h100, d100, 200, 2000),
            label="100 units at the chaotic gains 2 and 3, 2000 steps",
        ),
        Call(
            "curve",
            "max_lyapunov",
            (W64, CURVE_GAINS, h64, d64, 150, 500),
            label="64 units, 15 gains from 0.2 to 3",
        ),
        Call("mf", "mean_field_exponent", (mf_gains, nodes, weights, 500), label="6 random gains"),
        Call(
            "mf-ordered",
            "mean_field_exponent",
            (np.array([0.5, 0.9]), nodes, weights, 500),
            label="gains 0.5 and 0.9 (the answer is log g)",
        ),
        Call(
            "mf-critical",
            "mean_field_exponent",
            (np.array([1.0]), nodes, weights, 500),
            label="the critical gain g = 1 after 500 iterations",
        ),
        Call(
            "mf-few",
            "mean_field_exponent",
            (np.array([2.5, 0.5, 1.0, 0.7]), nodes, weights, 2),
            label="gains 2.5, 0.5, 1, 0.7 (in this order) after only 2 iterations",
        ),
        Call(
            "mf-none",
            "mean_field_exponent",
            (np.array([0.5, 1.5, 3.0]), nodes, weights, 0),
            label="gains 0.5, 1.5, 3 with n_iter = 0 (q stays 1)",
        ),
        Call(
            "mf-curve",
            "mean_field_exponent",
            (MF_GAINS, nodes, weights, 300),
            label="57 gains from 0.2 to 3",
        ),
    ]


def _curve(g: Grader) -> str | None:
    got = g.array("curve", shape=CURVE_GAINS.shape)
    want = np.asarray(g.expected("curve"))
    if not np.all(np.isfinite(got)):
        i = int(np.argmax(~np.isfinite(got)))
        return f"max_lyapunov() on {g.call('curve').description} returned {got[i]} at g = {CURVE_GAINS[i]:.2f}"
    error = np.abs(got - want)
    if error.max() <= CURVE_MAX and np.percentile(error, 90) <= 0.05:
        return None
    i = int(np.argmax(error))
    return (
        f"over the sweep of 15 gains your exponents differ from the reference by up to "
        f"{error.max():.4g} (the limits are 0.2 everywhere and 0.05 at 90% of the gains); the "
        f"worst is g = {CURVE_GAINS[i]:.2f}: expected {want[i]:.6g}, got {got[i]:.6g}"
    )


def grade(g: Grader) -> None:
    # Short runs, ordered gains and the zero state do not amplify rounding: exact comparisons.
    g.check_close("a short run, exactly", "short", rtol=EXACT[0], atol=EXACT[1], points=2)
    g.check_close_all(
        "a short run after a burn-in, and a single step",
        ("short-burn", "one-step"),
        rtol=EXACT[0],
        atol=EXACT[1],
    )
    g.check_close("ordered gains", "ordered", rtol=EXACT[0], atol=EXACT[1])
    g.check_close("the zero state measures log rho(g W)", "zero", rtol=EXACT[0], atol=EXACT[1])
    # Chaos amplifies rounding: two correct runs agree only on average; over 40 seeds runs
    # from float32-rounded inputs differed by up to 0.039 here (prompt: 0.08).
    g.check_close("chaotic gains, to within 0.08", "chaotic", rtol=0, atol=CHAOS_ATOL)
    g.custom("a sweep of gains through the transition", lambda: _curve(g))
    g.check_close("mean field at random gains", "mf", rtol=EXACT[0], atol=EXACT[1], points=2)
    g.check_close(
        "mean field in the ordered phase is log g", "mf-ordered", rtol=EXACT[0], atol=EXACT[1]
    )
    g.check_close_all(
        "mean field at the critical gain, and after 0 or 2 iterations",
        ("mf-critical", "mf-few", "mf-none"),
        rtol=EXACT[0],
        atol=EXACT[1],
    )
    g.check_close("mean-field curve", "mf-curve", rtol=EXACT[0], atol=EXACT[1])


# --- known mistakes ------------------------------------------------------------------------
LYAP_KEYS = ("short", "short-burn", "one-step", "ordered", "zero", "chaotic", "curve")
# The cases on which rounding does not grow: a mistake is recognised by its values there.
LYAP_EXACT_KEYS = ("short", "short-burn", "one-step", "ordered", "zero")


def _lyap_shows(variant: str):
    def shown(g: Grader) -> bool:
        differs = False
        for key in LYAP_EXACT_KEYS:
            want = np.asarray(g.expected(key))
            got = np.asarray(g.output(key), dtype=float)
            wrong = _lyap(*g.args(key), variant=variant)
            if got.shape != wrong.shape or not np.allclose(got, wrong, *EXACT, equal_nan=True):
                return False
            differs = differs or not np.allclose(got, want, *EXACT)
        return differs

    return shown


def _mf_wrong(variant: str):
    return {"mean_field_exponent": lambda *args: _mf(*args, variant=variant)}


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "state-not-reset",
            diagnosis=(
                "In max_lyapunov you create the state h once, before the loop over the gains, "
                "so each gain starts from where the previous gain's run ended instead of h0."
            ),
            fix="Set h = h0 (a copy) at the start of every gain.",
            predicate=_lyap_shows("state-not-reset"),
            cases=LYAP_KEYS,
        ),
        Mistake(
            "unnormalised-start",
            diagnosis=(
                "In max_lyapunov you start the perturbation at delta0 as given, not at "
                "delta0 / ||delta0||, so the first log adds log ||delta0|| / steps to the estimate."
            ),
            fix="d = delta0 / np.linalg.norm(delta0) before the first step.",
            predicate=_lyap_shows("unnormalised-start"),
            cases=LYAP_KEYS,
        ),
        Mistake(
            "old-state",
            diagnosis=(
                "In max_lyapunov you advance the perturbation with 1 - h**2 of the old state: the "
                "Jacobian of step t+1 takes the derivative of tanh at the new state h_{t+1}."
            ),
            fix="Update h = np.tanh(g * (W @ h)) first, then d = (1 - h**2) * (g * (W @ d)).",
            predicate=_lyap_shows("old-state"),
            cases=LYAP_KEYS,
        ),
        Mistake(
            "log10",
            diagnosis=(
                "In max_lyapunov you measure the growth with np.log10, so the exponent is in "
                "decades per step, log 10 = 2.3026 times smaller than in nats."
            ),
            fix="Use the natural logarithm, np.log.",
            predicate=_lyap_shows("log10"),
            cases=LYAP_KEYS,
        ),
        Mistake(
            "q-not-reset",
            diagnosis=(
                "In mean_field_exponent you set q = 1 once, before the loop over the gains, so "
                "each gain continues from the previous gain's q."
            ),
            fix="Set q = 1.0 at the start of every gain.",
            wrong=_mf_wrong("q-not-reset"),
        ),
        Mistake(
            "no-sqrt",
            diagnosis=(
                "In mean_field_exponent you evaluate at q * nodes: a normal variable of variance q "
                "is sqrt(q) Z, so the nodes scale by the standard deviation sqrt(q)."
            ),
            fix="Use np.sqrt(q) * nodes in both expectations.",
            wrong=_mf_wrong("no-sqrt"),
        ),
        Mistake(
            "chi-not-squared",
            diagnosis=(
                "In mean_field_exponent chi averages 1 - tanh^2, the slope itself; chi is the "
                "average of the squared slope, (1 - tanh^2)^2."
            ),
            fix="chi = g**2 * sum(weights * (1 - np.tanh(np.sqrt(q) * nodes) ** 2) ** 2).",
            wrong=_mf_wrong("chi-not-squared"),
        ),
        Mistake(
            "no-half",
            diagnosis=(
                "mean_field_exponent returns log chi: chi is the growth of squared lengths, so "
                "the exponent of lengths is half its log."
            ),
            fix="Return 0.5 * np.log(chi).",
            wrong=_mf_wrong("no-half"),
        ),
    ]


def figures(g: Grader) -> None:
    fig = PlainFigure()
    fig.add_scatter(
        x=MF_GAINS,
        y=g.expected("mf-curve"),
        name="mean field, reference",
        line={"color": plots.REFERENCE, "width": 3},
    )
    yours_mf = g.try_array("mf-curve")
    if yours_mf is not None:
        fig.add_scatter(
            x=MF_GAINS,
            y=yours_mf,
            name="mean field, yours",
            line={"color": plots.LEARNER, "dash": "dash"},
        )
    fig.add_scatter(
        x=CURVE_GAINS,
        y=g.expected("curve"),
        mode="markers",
        name="measured, reference",
        marker={"color": plots.REFERENCE, "size": 9, "symbol": "circle-open"},
    )
    yours = g.try_array("curve")
    if yours is not None:
        fig.add_scatter(
            x=CURVE_GAINS,
            y=yours,
            mode="markers",
            name="measured, yours",
            marker={"color": plots.LEARNER, "size": 6},
        )
    fig.add_hline(y=0.0, line={"color": plots.NEUTRAL, "dash": "dot"})
    fig.update_layout(
        title={"text": "largest Lyapunov exponent against the gain: the edge of chaos at g = 1"},
        xaxis_title="gain g",
        yaxis_title="λ_max (nats per step)",
        height=420,
    )
    g.figure(fig)
