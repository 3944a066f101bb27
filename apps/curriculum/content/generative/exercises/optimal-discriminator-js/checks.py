import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, Mistake, plots

RTOL, ATOL = 1e-5, 1e-6
WORKED = (np.array([0.5, 0.5, 0.0]), np.array([0.0, 0.5, 0.5]))


def _xlog(w, v):
    keep = w > 0
    with np.errstate(divide="ignore"):
        return float(np.sum(w[keep] * np.log(v[keep])))


def _dstar(p, q, *, inverted=False, eps=0.0):
    total = p + q
    if eps:
        return p / (total + eps)
    safe = np.where(total > 0, total, 1.0)
    return np.where(total > 0, (q if inverted else p) / safe, 0.5)


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


def _identity(g: Grader) -> str | None:
    value = g.scalar("v-optimal")
    js = g.scalar("js-zeros")
    if not np.isclose(value, 2 * js - np.log(4), rtol=RTOL, atol=ATOL):
        raise CheckFailed(
            f"for the distributions with zeros your gan_value at D* is {value:.8g} while your "
            f"js_divergence gives 2 JS - log 4 = {2 * js - np.log(4):.8g}; the two must agree"
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
        # JS of identical distributions is 0, made of order-1 terms: an absolute tolerance.
        g.check_close(name, key, atol=ATOL if key == "js-equal" else None, points=points)
    g.custom("V(D*, G) = 2 JS - log 4 from your functions", lambda: _identity(g), points=2)


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _arrays(*values):
    return (np.asarray(v, dtype=float) for v in values)


def _inverted(p_data, p_g):
    return _dstar(*_arrays(p_data, p_g), inverted=True)


def _with_eps(p_data, p_g):
    return _dstar(*_arrays(p_data, p_g), eps=1e-12)


def _kl(p, m, log=np.log):
    keep = p > 0
    return np.sum(p[keep] * log(p[keep] / m[keep]))


def _js_bits(p, q):
    p, q = _arrays(p, q)
    m = 0.5 * (p + q)
    return float(0.5 * _kl(p, m, np.log2) + 0.5 * _kl(q, m, np.log2))


def _js_not_halved(p, q):
    p, q = _arrays(p, q)
    return float(0.5 * _kl(p, p + q) + 0.5 * _kl(q, p + q))


def _js_reversed(p, q):
    p, q = _arrays(p, q)
    m = 0.5 * (p + q)
    return float(0.5 * _kl(m, p + (p == 0)) + 0.5 * _kl(m, q + (q == 0)))


def _js_unmasked(p, q):
    p, q = _arrays(p, q)
    m = 0.5 * (p + q)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(0.5 * np.sum(p * np.log(p / m)) + 0.5 * np.sum(q * np.log(q / m)))


def _value_unmasked(D, p_data, p_g):
    D, p, q = _arrays(D, p_data, p_g)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum(p * np.log(D)) + np.sum(q * np.log(1 - D)))


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "discriminator-eps",
            diagnosis=(
                "Your optimal_discriminator divides by p_data + p_g + 1e-12: where both are 0 it "
                "returns 0 instead of 0.5, and it ruins tiny probabilities such as 1e-30 (the "
                "1e-12 dwarfs them)."
            ),
            fix="Divide only where p_data + p_g > 0 and put 0.5 elsewhere (np.where).",
            wrong={"optimal_discriminator": _with_eps},
        ),
        Mistake(
            "discriminator-inverted",
            diagnosis=(
                "Your optimal_discriminator returns p_g / (p_data + p_g), the probability of "
                "fake; D* is the probability of real, p_data / (p_data + p_g)."
            ),
            fix="Put p_data in the numerator.",
            wrong={"optimal_discriminator": _inverted},
        ),
        Mistake(
            "js-log2",
            diagnosis=(
                "Your js_divergence is in bits (np.log2): disjoint distributions give 1 instead "
                "of log 2 = 0.693 nats."
            ),
            fix="Use the natural logarithm, np.log.",
            wrong={"js_divergence": _js_bits},
        ),
        Mistake(
            "mixture-not-halved",
            diagnosis=(
                "Your mixture is m = p + q instead of (p + q) / 2: every JS comes out log 2 too "
                "small."
            ),
            fix="m = 0.5 * (p + q).",
            wrong={"js_divergence": _js_not_halved},
        ),
        Mistake(
            "kl-reversed",
            diagnosis=(
                "Your JS terms are KL(m || p) and KL(m || q); JS averages KL(p || m) and "
                "KL(q || m), weighted by p and q with the mixture in the denominator."
            ),
            fix="0.5 * sum p log(p / m) + 0.5 * sum q log(q / m), over the outcomes where the weight is positive.",
            wrong={"js_divergence": _js_reversed},
        ),
        Mistake(
            "js-zero-terms-nan",
            diagnosis=(
                "Your KL terms sum over every outcome, so an outcome with p = 0 gives "
                "0 * log 0 = NaN."
            ),
            fix="Sum only over the outcomes with p > 0 (0 log 0 = 0).",
            wrong={"js_divergence": _js_unmasked},
        ),
        Mistake(
            "value-zero-weights-nan",
            diagnosis=(
                "Your gan_value sums p_data log D + p_g log(1 - D) over every outcome, so a zero "
                "weight times log 0 gives NaN."
            ),
            fix="Skip the outcomes whose weight is 0 in each sum.",
            wrong={"gan_value": _value_unmasked},
        ),
    ]


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
