import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, PlainFigure, conditioned, plots

BETAS = (0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0, 15.0)
# Every divergence of this problem is at least 0.18 after the first update, so at beta = 5000
# every exp(-beta KL) underflows to 0 unless the row maximum is subtracted first.
UNDERFLOW_PXY = np.array([[0.45, 0.05], [0.05, 0.45]])
UNDERFLOW_Q0 = np.array([[0.6, 0.4], [0.3, 0.7]])


def _problem(rng: np.random.Generator, nx: int, ny: int) -> np.ndarray:
    logits = rng.normal(scale=1.5, size=(nx, ny))
    pxy = np.exp(logits)
    return pxy / pxy.sum()


def _encoder(rng: np.random.Generator, nx: int, nt: int) -> np.ndarray:
    return rng.dirichlet(np.ones(nt) * 2.0, size=nx)


def cases(rng: np.random.Generator) -> list[Call]:
    nx, ny, nt = int(rng.integers(4, 8)), int(rng.integers(2, 5)), int(rng.integers(2, 4))
    pxy = _problem(rng, nx, ny)
    q0 = _encoder(rng, nx, nt)
    beta = float(rng.uniform(2.0, 6.0))
    calls = [
        Call(
            "one",
            "information_bottleneck",
            (pxy, beta, q0, 1),
            label=f"one iteration at beta = {beta:.2f}",
        ),
        Call(
            "many",
            "information_bottleneck",
            (pxy, beta, q0, 30),
            label=f"30 iterations at beta = {beta:.2f}",
        ),
        Call("zero_beta", "information_bottleneck", (pxy, 0.0, q0, 1), label="beta = 0"),
        Call("no_iter", "information_bottleneck", (pxy, beta, q0, 0), label="n_iter = 0"),
        Call(
            "big_beta",
            "information_bottleneck",
            (pxy, 50.0, q0, 20),
            label="beta = 50, 20 iterations",
        ),
    ]
    calls.append(
        Call(
            "underflow",
            "information_bottleneck",
            (UNDERFLOW_PXY, 5000.0, UNDERFLOW_Q0, 2),
            label="beta = 5000, where every exp(-beta KL) underflows",
        )
    )
    # A fixed problem swept over beta, for the information plane.
    fixed = np.random.default_rng(12345)
    sweep_pxy, sweep_q0 = _problem(fixed, 8, 3), _encoder(fixed, 8, 4)
    for i, b in enumerate(BETAS):
        calls.append(
            Call(
                f"sweep{i}",
                "information_bottleneck",
                (sweep_pxy, b, sweep_q0, 60),
                label=f"the information-plane problem at beta = {b}",
            )
        )
    return calls


def _independent(g: Grader) -> str | None:
    enc = g.array("zero_beta", 0)
    spread = np.abs(enc - enc.mean(axis=0, keepdims=True)).max()
    # Order-1 probabilities: 1e-6 leaves room for float32 and none for a real difference.
    if spread > 1e-6:
        return (
            f"at beta = 0 one iteration gives q(t|x) = q(t) for every x (rows identical), "
            f"but your rows differ by up to {spread:.6g}"
        )
    i_xt = g.scalar("zero_beta", 1)
    if abs(i_xt) > 1e-6:
        return (
            "at beta = 0 one iteration makes T independent of X, so I(X;T) = 0, but you "
            f"returned {i_xt:.8g}"
        )
    return None


def _dpi(g: Grader) -> str | None:
    pxy = np.asarray(g.arg("many"), dtype=float)
    outer = pxy.sum(1, keepdims=True) * pxy.sum(0, keepdims=True)
    i_xy = float(np.sum(pxy * np.log(pxy / outer)))
    i_xt, i_ty = g.scalar("many", 1), g.scalar("many", 2)
    if i_ty > min(i_xt, i_xy) + 1e-6:
        return (
            f"after 30 iterations you report I(T;Y) = {i_ty:.8f}, but it cannot exceed "
            f"I(X;T) = {i_xt:.8f} or I(X;Y) = {i_xy:.8f} (data processing inequality, Y -> X -> T)"
        )
    return None


def _rtol(g: Grader, key: str) -> float:
    # A rounding error in the divergences is multiplied by beta in the logits, and each
    # iteration can pass it on: a correct float32 run is off by about beta x n_iter roundoffs.
    _, beta, _, n_iter = g.args(key)
    return conditioned(max(1.0, beta) * max(1, n_iter))


# The informations are sums of order-1 terms that cancel: their float32 error is absolute.
MI_ATOL = 1e-6


def grade(g: Grader) -> None:
    g.check_close("one iteration matches the reference", "one", 0, rtol=_rtol(g, "one"), points=2)
    g.check_sums_to_one("encoder rows sum to one", "many", 0, points=1)
    g.check_close("30 iterations match the reference", "many", 0, rtol=_rtol(g, "many"), points=1.5)
    g.check_close("I(X;T) of the final encoder", "many", 1, rtol=_rtol(g, "many"), atol=MI_ATOL)
    g.check_close("I(T;Y) of the final encoder", "many", 2, rtol=_rtol(g, "many"), atol=MI_ATOL)
    g.check_close(
        "I(T;Y) after one iteration", "one", 2, rtol=_rtol(g, "one"), atol=MI_ATOL, points=0.5
    )
    g.custom("beta = 0 forgets X", lambda: _independent(g), points=1)
    g.check_close("n_iter = 0 returns the initial encoder", "no_iter", 0, points=0.5)
    g.check_close("stable at beta = 50", "big_beta", 0, rtol=_rtol(g, "big_beta"), points=1)
    g.check_close("stable at beta = 5000", "underflow", 0, rtol=_rtol(g, "underflow"), points=0.5)
    g.check_close(
        "I(X;T) with exact zeros in the encoder", "underflow", 1, atol=MI_ATOL, points=0.5
    )
    g.custom("data processing inequality", lambda: _dpi(g), points=1)


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _mi(joint):
    outer = joint.sum(axis=1, keepdims=True) * joint.sum(axis=0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log(joint[nz] / outer[nz])))


def _ib(pxy, beta, q0, n_iter, *, prior=True, sign=-1.0, divide=True, reverse=False, stale=False):
    """The iteration with one thing changed (see the mistakes below)."""
    pxy = np.asarray(pxy, dtype=float)
    px = pxy.sum(1)
    pyx = pxy / px[:, None]

    def marginals(q):
        qt = px @ q
        qyt = (q * px[:, None]).T @ pyx
        return qt, (qyt / qt[:, None] if divide else qyt)

    q = np.array(q0, dtype=float)
    qt, qyt = marginals(q)
    for _ in range(int(n_iter)):
        qt, qyt = marginals(q)
        if reverse:
            kl = np.einsum("ty,xty->xt", qyt, np.log(qyt)[None] - np.log(pyx)[:, None, :])
        else:
            kl = np.einsum("xy,xty->xt", pyx, np.log(pyx)[:, None, :] - np.log(qyt)[None])
        logits = (np.log(qt)[None, :] if prior else 0.0) + sign * beta * kl
        logits = logits - logits.max(1, keepdims=True)
        q = np.exp(logits)
        q /= q.sum(1, keepdims=True)
    if not stale:
        qt, qyt = marginals(q)
    return q, _mi(px[:, None] * q), _mi(qt[:, None] * qyt)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "no-prior",
            diagnosis=(
                "Your encoder update leaves out the prior q(t): the new q(t|x) should be "
                "proportional to q(t) exp(-beta KL), so that popular clusters attract inputs."
            ),
            fix="logits = np.log(q_t)[None, :] - beta * kl, then normalise each row.",
            wrong=lambda *a: _ib(*a, prior=False),
        ),
        Mistake(
            "plus-sign",
            diagnosis=(
                "Your update uses exp(+beta KL): inputs are pushed towards the clusters that "
                "predict Y worst. The divergence is an energy, with a minus sign."
            ),
            fix="logits = np.log(q_t)[None, :] - beta * kl.",
            wrong=lambda *a: _ib(*a, sign=1.0),
        ),
        Mistake(
            "kl-reversed",
            diagnosis=(
                "Your encoder update uses D_KL(q(y|t) || p(y|x)); the stationarity condition "
                "has D_KL(p(y|x) || q(y|t)), weighted by p(y|x)."
            ),
            fix="kl[x, t] = sum_y p(y|x) (log p(y|x) - log q(y|t)).",
            wrong=lambda *a: _ib(*a, reverse=True),
        ),
        Mistake(
            "decoder-not-normalised",
            diagnosis=(
                "Your decoder is sum_x p(x) q(t|x) p(y|x), the joint q(t, y), not q(y|t): each "
                "row must be divided by q(t)."
            ),
            fix="q_y_t = (q * px[:, None]).T @ p_y_x / q_t[:, None].",
            wrong=lambda *a: _ib(*a, divide=False),
        ),
        Mistake(
            "stale-marginals",
            diagnosis=(
                "Your I(T;Y) uses the q(t) and q(y|t) of the encoder before the last update: the "
                "encoder and I(X;T) are right, but the marginals were not recomputed."
            ),
            fix="After the loop, recompute q(t) and q(y|t) from the final encoder.",
            wrong=lambda *a: _ib(*a, stale=True),
        ),
    ]


def figures(g: Grader) -> None:
    ref = np.array(
        [[g.expected(f"sweep{i}", 1), g.expected(f"sweep{i}", 2)] for i in range(len(BETAS))]
    )
    fig = PlainFigure()
    fig.add_scatter(
        x=ref[:, 0],
        y=ref[:, 1],
        mode="lines+markers",
        name="reference",
        line={"color": plots.REFERENCE, "width": 3},
        text=[f"β = {b}" for b in BETAS],
    )
    yours = []
    for i in range(len(BETAS)):
        a, b = g.try_array(f"sweep{i}", 1, shape=()), g.try_array(f"sweep{i}", 2, shape=())
        if a is None or b is None:
            yours = []
            break
        yours.append((float(a), float(b)))
    if yours:
        ys = np.array(yours)
        fig.add_scatter(
            x=ys[:, 0],
            y=ys[:, 1],
            mode="markers",
            name="yours",
            marker={"color": plots.LEARNER, "size": 9},
            text=[f"β = {b}" for b in BETAS],
        )
    fig.update_layout(
        title={"text": "The information plane: one point per β (0.5 to 15), 60 iterations each"},
        xaxis_title="I(X;T) (nats)",
        yaxis_title="I(T;Y) (nats)",
        height=420,
    )
    g.figure(fig)
    g.figure(
        plots.heatmap_pair(
            g.try_array("many", 0),
            g.expected("many", 0),
            title="The encoder q(t|x) after 30 iterations (rows x, columns t)",
            colorscale="Blues",
        )
    )
