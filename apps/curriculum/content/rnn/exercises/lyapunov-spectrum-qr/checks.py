import numpy as np

from apps.sandbox.grading import Call, CheckFailed, Grader, plots

RTOL, ATOL = 1e-5, 1e-5


def _qr_logs(jacobians, carry=True):
    n = jacobians.shape[1]
    Q, rows = np.eye(n), []
    for J in jacobians:
        if not carry:
            _, R = np.linalg.qr(J)
        else:
            Q, R = np.linalg.qr(J @ Q)
        with np.errstate(divide="ignore"):
            rows.append(np.log(np.abs(np.diag(R))))
    return np.array(rows)


def _variant(jacobians, variant):
    T = len(jacobians)
    if variant == "no-carry":
        return np.sort(_qr_logs(jacobians, carry=False).mean(axis=0))[::-1]
    if variant == "eigenvalues":
        logs = [np.sort(np.log(np.abs(np.linalg.eigvals(J))))[::-1] for J in jacobians]
        return np.mean(logs, axis=0)
    if variant == "product-svd":
        product = np.eye(jacobians.shape[1])
        with np.errstate(all="ignore"):
            for J in jacobians:
                product = J @ product
            if not np.all(np.isfinite(product)):
                return np.full(jacobians.shape[1], np.nan)
            return np.log(np.linalg.svd(product, compute_uv=False)) / T
    logs = _qr_logs(jacobians)
    if variant == "log2":
        return np.sort(logs.mean(axis=0) / np.log(2))[::-1]
    if variant == "ascending":
        return np.sort(logs.mean(axis=0))
    if variant == "unsorted":
        return logs.mean(axis=0)
    if variant == "sum":
        return np.sort(logs.sum(axis=0))[::-1]
    raise ValueError(variant)


SLIPS = {
    "no-carry": "that is what factoring each Jacobian on its own gives (and so does multiplying the "
    "frame on the wrong side, Q_{t-1} @ J_t); factor J_t @ Q_{t-1}, with Q_{t-1} from the previous step",
    "eigenvalues": "that averages the log eigenvalue moduli of each Jacobian; the exponents belong "
    "to the product, whose factors need not share eigenvectors",
    "product-svd": "that is (1/T) log of the singular values of the full product: the checks ask for "
    "the QR estimate, which differs at finite T and never overflows",
    "log2": "use the natural logarithm (nats per step), not log base 2",
    "ascending": "sort from largest to smallest",
    "unsorted": "sort the exponents from largest to smallest",
    "sum": "divide the sums of logarithms by the number of Jacobians T",
}


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
        return (
            f"{where} returned NaN or an infinity: take the log of the absolute value of the "
            "diagonal of R, and never multiply the Jacobians together (the product overflows)"
        )
    for variant, diagnosis in SLIPS.items():
        alt = _variant(call.args[0], variant)
        if alt.shape == got.shape and np.allclose(got, alt, rtol=RTOL, atol=ATOL):
            return f"{where}: {diagnosis}"
    i = int(np.argmax(np.abs(got - want)))
    return f"{where}: exponent {i + 1} should be {want[i]:.6g}, but is {got[i]:.6g}"


def _sum_rule(g: Grader) -> str | None:
    jacobians = g.arg("random")
    got = g.array("random")
    target = float(np.mean([np.log(abs(np.linalg.det(J))) for J in jacobians]))
    if not np.isclose(got.sum(), target, rtol=1e-5, atol=1e-5):
        raise CheckFailed(
            f"your exponents for the random Jacobians add up to {got.sum():.6g}, but the average "
            f"of log|det J_t| is {target:.6g}; the product of |diag(R_t)| is |det J_t| at every step, "
            "so the two must agree"
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
    g.custom("the Jacobians of a tanh RNN", lambda: _check(g, "rnn"), points=1)
    g.custom("exponents add up to the mean log-determinant", lambda: _sum_rule(g), points=1)


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
