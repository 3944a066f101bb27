import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, Mistake, plots

RTOL, ATOL = 1e-5, 1e-5


def _rotation(angle):
    return np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])


def _rnn_jacobians(rng, n=12, g=2.0, burn_in=100, steps=250):
    W = rng.normal(size=(n, n)) / np.sqrt(n)
    h = rng.normal(size=n)
    for _ in range(burn_in):
        h = np.tanh(g * (W @ h))
    out = []
    for _ in range(steps):
        h = np.tanh(g * (W @ h))
        out.append((1 - h * h)[:, None] * (g * W))
    return np.array(out)


def cases(rng: np.random.Generator) -> list[Call]:
    n = 5
    random = 1.2 * rng.normal(size=(200, n, n)) / np.sqrt(n)
    pair = np.array([np.diag([4.0, 0.25]), np.array([[0.0, 1.0], [1.0, 0.0]])])
    return [
        Call("random", "lyapunov_spectrum", (random,), label="200 random 5 x 5 Jacobians"),
        Call(
            "triangular",
            "lyapunov_spectrum",
            (np.repeat(np.array([[[2.0, 1.0], [0.0, 0.5]]]), 50, axis=0),),
            label="50 copies of [[2, 1], [0, 0.5]] (exponents log 2 and log 0.5)",
        ),
        Call(
            "negative",
            "lyapunov_spectrum",
            (np.repeat(np.array([[[-3.0, 2.0], [0.0, 0.5]]]), 20, axis=0),),
            label="20 copies of [[-3, 2], [0, 0.5]] (a negative diagonal entry)",
        ),
        Call(
            "rotation",
            "lyapunov_spectrum",
            (np.repeat((0.9 * _rotation(np.pi / 6))[None], 40, axis=0),),
            label="40 copies of 0.9 times a rotation by 30 degrees (both exponents log 0.9)",
        ),
        Call(
            "overflow",
            "lyapunov_spectrum",
            (np.repeat(np.diag([100.0, 0.01])[None], 200, axis=0),),
            label="200 copies of diag(100, 0.01), whose product overflows",
        ),
        Call(
            "alternating",
            "lyapunov_spectrum",
            (np.tile(pair, (50, 1, 1)),),
            label="diag(4, 1/4) alternating with the swap [[0, 1], [1, 0]], 100 factors",
        ),
        Call(
            "ascending",
            "lyapunov_spectrum",
            (np.diag([0.5, 2.0, 3.0])[None],),
            label="the single Jacobian diag(0.5, 2, 3), whose diagonal grows down the matrix",
        ),
        Call(
            "single",
            "lyapunov_spectrum",
            (rng.normal(size=(1, 4, 4)),),
            label="a single 4 x 4 Jacobian",
        ),
        Call(
            "rnn",
            "lyapunov_spectrum",
            (_rnn_jacobians(rng),),
            label="250 Jacobians of a random tanh RNN with 12 units at gain 2",
        ),
    ]


def _check(g: Grader, key: str) -> str | None:
    call = g.call(key)
    want = np.asarray(g.expected(key))
    got = g.array(key, shape=want.shape)
    if np.allclose(got, want, rtol=RTOL, atol=ATOL):
        return None
    where = f"lyapunov_spectrum() on {call.description}"
    if not np.all(np.isfinite(got)):
        return f"{where} returned NaN or an infinity: {got}"
    i = int(np.argmax(np.abs(got - want)))
    return f"{where}: exponent {i + 1} should be {want[i]:.8g}, but is {got[i]:.8g}"


def _sum_rule(g: Grader) -> str | None:
    jacobians = g.arg("random")
    got = g.array("random")
    target = float(np.mean([np.log(abs(np.linalg.det(J))) for J in jacobians]))
    if not np.isclose(got.sum(), target, rtol=1e-5, atol=1e-5):
        raise CheckFailed(
            f"your exponents for the random Jacobians add up to {got.sum():.6g}, but the average "
            f"of log|det J_t| is {target:.6g}"
        )
    return None


def grade(g: Grader) -> None:
    g.custom("random Jacobians", lambda: _check(g, "random"), points=2)
    g.custom("a constant triangular Jacobian", lambda: _check(g, "triangular"), points=1)
    g.custom("a negative diagonal entry", lambda: _check(g, "negative"), points=1)
    g.custom("a scaled rotation", lambda: _check(g, "rotation"), points=1)
    g.custom("a product that overflows", lambda: _check(g, "overflow"), points=1)
    g.custom("alternating factors", lambda: _check(g, "alternating"), points=1)
    g.custom("a single Jacobian", lambda: _check(g, "single"), points=1)
    g.custom("largest exponent first", lambda: _check(g, "ascending"), points=1)
    g.custom("the Jacobians of a tanh RNN", lambda: _check(g, "rnn"), points=1)
    g.custom("exponents add up to the mean log-determinant", lambda: _sum_rule(g), points=1)


# --- known mistakes ------------------------------------------------------------------------
def _qr_sums(jacobians, step, log=np.log, absolute=True):
    Js = np.asarray(jacobians, dtype=float)
    Q = np.eye(Js.shape[1])
    acc = np.zeros(Js.shape[1])
    with np.errstate(all="ignore"):
        for J in Js:
            Q, R = np.linalg.qr(step(J, Q))
            d = np.diag(R)
            acc += log(np.abs(d) if absolute else d)
    return acc


def _sorted(lam):
    return -np.sort(-lam)


def _forward(J, Q):
    return J @ Q


def _divide_by_n(jacobians):
    return _sorted(_qr_sums(jacobians, _forward) / np.asarray(jacobians).shape[1])


def _frame_on_left(jacobians):
    return _sorted(_qr_sums(jacobians, lambda J, Q: Q @ J) / len(jacobians))


def _log2(jacobians):
    return _sorted(_qr_sums(jacobians, _forward, log=np.log2) / len(jacobians))


def _no_abs(jacobians):
    return _sorted(_qr_sums(jacobians, _forward, absolute=False) / len(jacobians))


def _not_sorted(jacobians):
    return _qr_sums(jacobians, _forward) / len(jacobians)


def _reversed_order(jacobians):
    return _sorted(_qr_sums(np.asarray(jacobians, dtype=float)[::-1], _forward) / len(jacobians))


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "divides-by-n",
            diagnosis=(
                "You divide the sums of log|R_ii| by the dimension n instead of the number of "
                "Jacobians T: the exponents are rates per step."
            ),
            fix="Divide by T = len(jacobians).",
            wrong=_divide_by_n,
        ),
        Mistake(
            "frame-on-left",
            diagnosis=(
                "You multiply the frame on the wrong side, Q @ J_t: the perturbation frame is "
                "carried forward by J_t @ Q_(t-1)."
            ),
            fix="Q, R = np.linalg.qr(J @ Q).",
            wrong=_frame_on_left,
        ),
        Mistake(
            "log2",
            diagnosis="You use np.log2: your exponents are in bits per step, 1/log 2 times the value in nats.",
            fix="Use the natural logarithm, np.log.",
            wrong=_log2,
        ),
        Mistake(
            "no-absolute-value",
            diagnosis=(
                "You take the log of the diagonal of R itself: QR may return negative diagonal "
                "entries (a sign convention), and their log is NaN."
            ),
            fix="np.log(np.abs(np.diag(R))).",
            wrong=_no_abs,
        ),
        Mistake(
            "not-sorted",
            diagnosis=(
                "You return the exponents in the order of the diagonal of R; the result should be "
                "sorted from largest to smallest."
            ),
            fix="Return np.sort(lam)[::-1].",
            wrong=_not_sorted,
        ),
        Mistake(
            "reversed-order",
            diagnosis=(
                "You apply the Jacobians in reverse order (jacobians[::-1]), the spectrum of "
                "J_1 ... J_T; jacobians[0] is applied first."
            ),
            fix="Iterate over jacobians in the given order.",
            wrong=_reversed_order,
        ),
    ]


def figures(g: Grader) -> None:
    want = np.asarray(g.expected("rnn"))
    fig = plots.compare_lines(
        np.arange(1, len(want) + 1),
        g.try_array("rnn"),
        want,
        title="Lyapunov spectrum of a random tanh RNN (12 units, gain 2)",
        x_label="index i",
        y_label="λ_i (nats per step)",
    )
    fig.add_hline(y=0.0, line={"color": plots.NEUTRAL, "dash": "dot"})
    g.figure(fig)
