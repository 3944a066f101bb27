import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots

EXACT = (1e-5, 1e-5)
CHAOS_ATOL = 0.06
CURVE_GAINS = np.linspace(0.2, 3.0, 15)
MF_GAINS = np.linspace(0.2, 3.0, 57)


def _quadrature(m=60):
    nodes, weights = np.polynomial.hermite_e.hermegauss(m)
    return nodes, weights / weights.sum()


def _lyap(W, gains, h0, delta0, burn_in, steps, variant=""):
    Wm = W.T if variant == "transpose" else W
    out = []
    for g in gains:
        h = h0.copy()
        for _ in range(burn_in):
            h = np.tanh(g * (Wm @ h))
        d = delta0.copy() if variant == "unnormalised-start" else delta0 / np.linalg.norm(delta0)
        total = 0.0
        with np.errstate(all="ignore"):
            for _ in range(steps):
                old = h
                h = np.tanh(g * (Wm @ h))
                derivative = 1.0 - (old * old if variant == "old-state" else h * h)
                d = derivative * ((1.0 if variant == "no-gain" else g) * (Wm @ d))
                size = np.linalg.norm(d)
                total += np.log(size)
                d = d / size
        if variant == "log2":
            total /= np.log(2.0)
        out.append(total if variant == "sum" else total / steps)
    return np.array(out)


def _mf(gains, nodes, weights, n_iter, variant=""):
    out = []
    for g in gains:
        q = 1.0
        for _ in range(n_iter):
            scale = q if variant == "no-sqrt" else np.sqrt(q)
            q = (1.0 if variant == "q-no-gain" else g * g) * float(
                weights @ np.tanh(scale * nodes) ** 2
            )
        t2 = np.tanh((q if variant == "no-sqrt" else np.sqrt(q)) * nodes) ** 2
        slope = (1.0 - t2) if variant == "chi-not-squared" else (1.0 - t2) ** 2
        chi = g * g * float(weights @ slope)
        out.append(np.log(chi) if variant == "no-half" else 0.5 * np.log(chi))
    return np.array(out)


LYAP_SLIPS = {
    "old-state": "the Jacobian of step t+1 uses the derivative of tanh at the new state h_{t+1}: "
    "update the state first, then the perturbation",
    "no-gain": "the Jacobian is diag(1 - h^2) g W: the gain g is missing from the perturbation step",
    "transpose": "use W @ h (row i of W feeds unit i), not the transpose",
    "unnormalised-start": "normalise delta0 to unit length before the first step; otherwise the "
    "first log includes log ||delta0||",
    "log2": "use the natural logarithm (nats per step)",
    "sum": "divide the sum of logs by steps",
}
MF_SLIPS = {
    "no-sqrt": "a normal variable of variance q is sqrt(q) Z, so evaluate f at np.sqrt(q) * nodes",
    "chi-not-squared": "chi averages the square of the slope, (1 - tanh^2)^2",
    "no-half": "the exponent is 0.5 log chi: chi is a growth factor of the squared norm",
    "q-no-gain": "the variance map is q <- g^2 E[tanh^2]",
}


def cases(rng: np.random.Generator) -> list[Call]:
    def network(n):
        return rng.normal(size=(n, n)) / np.sqrt(n), rng.normal(size=n), 3.0 * rng.normal(size=n)

    W10, h10, d10 = network(10)
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
            "mf-curve",
            "mean_field_exponent",
            (MF_GAINS, nodes, weights, 300),
            label="57 gains from 0.2 to 3",
        ),
    ]


def _check(g: Grader, key: str, atol_override: float | None = None) -> str | None:
    call = g.call(key)
    want = np.asarray(g.expected(key))
    got = g.array(key, shape=want.shape)
    rtol, atol = (0.0, atol_override) if atol_override else EXACT
    if np.allclose(got, want, rtol=rtol, atol=atol):
        return None
    where = f"{call.func}() on {call.description}"
    if not np.all(np.isfinite(got)):
        return (
            f"{where} returned NaN or an infinity: renormalise the perturbation after every step "
            "and add the log of its norm, so it never overflows or underflows"
        )
    if call.func == "max_lyapunov":
        model, slips = _lyap, LYAP_SLIPS
    else:
        model, slips = _mf, MF_SLIPS
    for variant, diagnosis in slips.items():
        if np.allclose(got, model(*call.args, variant=variant), rtol=rtol, atol=atol):
            return f"{where}: {diagnosis}"
    i = int(np.argmax(np.abs(got - want)))
    gain = float(call.args[1][i] if call.func == "max_lyapunov" else call.args[0][i])
    return f"{where}: at gain {gain:.3g} the value should be {want[i]:.5g}, but is {got[i]:.5g}"


def _curve(g: Grader) -> str | None:
    got = g.array("curve")
    want = np.asarray(g.expected("curve"))
    error = np.abs(got - want)
    if np.all(np.isfinite(got)) and error.max() <= 0.1 and np.percentile(error, 90) <= 0.05:
        return None
    if not np.all(np.isfinite(got)):
        return "max_lyapunov() on the sweep of gains returned NaN or an infinity"
    i = int(np.argmax(error))
    return (
        f"over the sweep of 15 gains your exponents differ from the reference by up to "
        f"{error.max():.3f}; the worst is g = {CURVE_GAINS[i]:.2f}: expected {want[i]:.4f}, got {got[i]:.4f}"
    )


def grade(g: Grader) -> None:
    g.custom("a short run, exactly", lambda: _check(g, "short"), points=2)
    g.custom("a short run after a burn-in", lambda: _check(g, "short-burn"), points=1)
    g.custom("ordered gains", lambda: _check(g, "ordered"), points=1)
    g.custom("the zero state measures log rho(g W)", lambda: _check(g, "zero"), points=1)
    g.custom("chaotic gains, to within 0.06", lambda: _check(g, "chaotic", CHAOS_ATOL), points=1)
    g.custom("a sweep of gains through the transition", lambda: _curve(g), points=1)
    g.custom("mean field at random gains", lambda: _check(g, "mf"), points=2)
    g.custom("mean field in the ordered phase is log g", lambda: _check(g, "mf-ordered"), points=1)
    g.custom("mean field at the critical gain", lambda: _check(g, "mf-critical"), points=1)
    g.custom("mean-field curve", lambda: _check(g, "mf-curve"), points=1)


def figures(g: Grader) -> None:
    fig = go.Figure()
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
