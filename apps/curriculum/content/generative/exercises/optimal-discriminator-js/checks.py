import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, plots

RTOL, ATOL = 1e-5, 1e-6
WORKED = (np.array([0.5, 0.5, 0.0]), np.array([0.0, 0.5, 0.5]))


def _xlog(w, v):
    keep = w > 0
    with np.errstate(divide="ignore"):
        return float(np.sum(w[keep] * np.log(v[keep])))


def _dstar(p, q, variant=""):
    total = p + q
    safe = np.where(total > 0, total, 1.0)
    if variant == "inverted":
        return np.where(total > 0, q / safe, 0.5)
    if variant == "ratio":
        with np.errstate(divide="ignore", invalid="ignore"):
            return p / q
    return np.where(total > 0, p / safe, 0.5)


def _js(p, q, variant=""):
    m = 0.5 * (p + q)
    base = np.log(2.0) if variant == "bits" else 1.0
    kl_pm = _xlog(p, np.where(m > 0, p / np.where(m > 0, m, 1.0), 1.0)) / base
    kl_qm = _xlog(q, np.where(m > 0, q / np.where(m > 0, m, 1.0), 1.0)) / base
    if variant == "no-half":
        return kl_pm + kl_qm
    if variant == "one-side":
        return kl_pm
    if variant == "symmetric-kl":
        with np.errstate(divide="ignore", invalid="ignore"):
            return 0.5 * (_xlog(p, p / q) + _xlog(q, q / p))
    return 0.5 * kl_pm + 0.5 * kl_qm


def _value(D, p, q, variant=""):
    if variant == "negated":
        return -(_xlog(p, D) + _xlog(q, 1.0 - D))
    if variant == "log-d-twice":
        return _xlog(p, D) + _xlog(q, D)
    if variant == "no-generator-term":
        return _xlog(p, D)
    return _xlog(p, D) + _xlog(q, 1.0 - D)


MODELS = {
    "optimal_discriminator": (
        _dstar,
        {
            "inverted": "that is p_g / (p_data + p_g), the probability of fake; D* is the probability of real",
            "ratio": "that is the ratio p_data / p_g; D* divides by the sum p_data + p_g",
        },
    ),
    "js_divergence": (
        _js,
        {
            "bits": "use the natural logarithm: the result is in nats (disjoint distributions give log 2 = 0.693)",
            "no-half": "JS is the average of the two KL divergences to the mixture, not their sum",
            "one-side": "that is only KL(p || m); JS averages KL(p || m) and KL(q || m)",
            "symmetric-kl": "that compares p and q directly; JS compares each with the mixture m = (p + q)/2",
        },
    ),
    "gan_value": (
        _value,
        {
            "negated": "the sign is flipped: V = sum p_data log D + sum p_g log(1 - D), which is at most 0",
            "log-d-twice": "the generator's term uses log(1 - D), not log D",
            "no-generator-term": "the generator's term sum p_g log(1 - D) is missing",
        },
    ),
}


def _dist(rng, k, zeros=0):
    w = rng.gamma(1.0, size=k)
    if zeros:
        w[rng.choice(k, size=zeros, replace=False)] = 0.0
    return w / w.sum()


def cases(rng: np.random.Generator) -> list[Call]:
    k = int(rng.integers(5, 9))
    p, q = _dist(rng, k), _dist(rng, k)
    pz, qz = _dist(rng, 8, zeros=2), _dist(rng, 8, zeros=3)
    pz[0] = qz[0] = 0.0  # an outcome neither distribution can produce
    pz, qz = pz / pz.sum(), qz / qz.sum()
    disjoint_p = np.array([0.3, 0.7, 0.0, 0.0, 0.0])
    disjoint_q = np.array([0.0, 0.0, 0.2, 0.5, 0.3])
    tiny_p = np.array([1e-30, 0.5, 0.5 - 1e-30])
    tiny_q = np.array([3e-30, 0.25, 0.75 - 3e-30])
    return [
        Call(
            "d", "optimal_discriminator", (p, q), label=f"two random distributions on {k} outcomes"
        ),
        Call(
            "d-zeros",
            "optimal_discriminator",
            (pz, qz),
            label="distributions with zeros, including an outcome where both are 0",
        ),
        Call("d-equal", "optimal_discriminator", (p, p.copy()), label="p_g = p_data"),
        Call(
            "d-tiny",
            "optimal_discriminator",
            (tiny_p, tiny_q),
            label="probabilities of 1e-30 and 3e-30",
        ),
        Call("d-worked", "optimal_discriminator", WORKED, label="the lesson's worked example"),
        Call("js", "js_divergence", (p, q), label=f"two random distributions on {k} outcomes"),
        Call("js-zeros", "js_divergence", (pz, qz), label="distributions with zeros"),
        Call("js-equal", "js_divergence", (q, q.copy()), label="identical distributions (JS = 0)"),
        Call(
            "js-disjoint",
            "js_divergence",
            (disjoint_p, disjoint_q),
            label="distributions with disjoint supports (JS = log 2)",
        ),
        Call("js-tiny", "js_divergence", (tiny_p, tiny_q), label="probabilities of 1e-30"),
        Call("js-worked", "js_divergence", WORKED, label="the lesson's worked example"),
        Call(
            "v",
            "gan_value",
            (rng.uniform(0.05, 0.95, size=k), p, q),
            label="a random discriminator",
        ),
        Call(
            "v-worked",
            "gan_value",
            (np.array([1.0, 0.5, 0.0]), *WORKED),
            label="the worked example with D = D* = (1, 0.5, 0), where 0 log 0 terms appear",
        ),
        Call(
            "v-half", "gan_value", (np.full(k, 0.5), p, q), label="D = 0.5 everywhere (V = -log 4)"
        ),
        Call(
            "v-optimal",
            "gan_value",
            (_dstar(pz, qz), pz, qz),
            label="the optimal discriminator of the distributions with zeros",
        ),
    ]


def _check(g: Grader, key: str) -> str | None:
    call = g.call(key)
    want = np.asarray(g.expected(key), dtype=float)
    got = g.array(key, shape=want.shape)
    if np.allclose(got, want, rtol=RTOL, atol=ATOL):
        return None
    where = f"{call.func}() on {call.description}"
    if not np.all(np.isfinite(got)):
        if call.func == "optimal_discriminator":
            return (
                f"{where} returned NaN: where p_data + p_g = 0 the ratio is 0/0, return 0.5 there"
            )
        return (
            f"{where} returned NaN or an infinity: an outcome whose weight is 0 contributes 0 to "
            "the sum (0 log 0 = 0), so leave those outcomes out"
        )
    model, slips = MODELS[call.func]
    for variant, diagnosis in slips.items():
        alt = np.asarray(model(*call.args, variant=variant), dtype=float)
        if alt.shape == got.shape and np.allclose(got, alt, rtol=RTOL, atol=ATOL):
            return f"{where}: {diagnosis}"
    if got.ndim:
        i = int(np.argmax(np.abs(got - want)))
        return f"{where}: entry {i} should be {want[i]:.6g}, but is {got[i]:.6g}"
    return f"{where} should be {float(want):.6g}, but is {float(got):.6g}"


def _identity(g: Grader) -> str | None:
    value = g.scalar("v-optimal")
    js = g.scalar("js-zeros")
    if not np.isclose(value, 2 * js - np.log(4), rtol=RTOL, atol=ATOL):
        raise CheckFailed(
            f"for the distributions with zeros your gan_value at D* is {value:.6g} while your "
            f"js_divergence gives 2 JS - log 4 = {2 * js - np.log(4):.6g}; the two must agree"
        )
    return None


def grade(g: Grader) -> None:
    for key, name, points in [
        ("d", "D* of two random distributions", 1),
        ("d-zeros", "D* with zeros (0.5 where both are 0)", 1),
        ("d-equal", "D* = 0.5 when p_g = p_data", 1),
        ("d-tiny", "D* with tiny probabilities", 1),
        ("d-worked", "D* of the worked example", 1),
        ("js", "JS of two random distributions", 2),
        ("js-zeros", "JS with zeros", 1),
        ("js-equal", "JS of identical distributions is 0", 1),
        ("js-disjoint", "JS of disjoint distributions is log 2", 1),
        ("js-tiny", "JS with tiny probabilities", 1),
        ("js-worked", "JS of the worked example", 1),
        ("v", "value of a random discriminator", 1),
        ("v-worked", "value of the worked example is -log 2", 1),
        ("v-half", "value of D = 0.5 is -log 4", 1),
        ("v-optimal", "value at D* with zeros", 1),
    ]:
        g.custom(name, lambda key=key: _check(g, key), points=points)
    g.custom("V(D*, G) = 2 JS - log 4 from your functions", lambda: _identity(g), points=2)


def figures(g: Grader) -> None:
    p, q = g.args("d-zeros")
    fig = plots.compare_bars(
        [f"x = {i}" for i in range(len(p))],
        g.try_array("d-zeros"),
        g.expected("d-zeros"),
        title="D*(x) = p_data / (p_data + p_g) on distributions with zeros",
        y_label="D*(x)",
    )
    fig.add_scatter(
        x=[f"x = {i}" for i in range(len(p))],
        y=p,
        mode="markers",
        name="p_data",
        marker={"color": plots.NEUTRAL, "symbol": "diamond", "size": 8},
    )
    fig.add_scatter(
        x=[f"x = {i}" for i in range(len(q))],
        y=q,
        mode="markers",
        name="p_g",
        marker={"color": "#10b981", "symbol": "x", "size": 8},
    )
    g.figure(fig)
