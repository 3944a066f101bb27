import itertools

import numpy as np

from apps.sandbox.grading import Call, Grader, plots

MARGIN = 1e-4  # no uniform is this close to the probability it is compared with
STEP_TOL, TRAIN_TOL = (1e-5, 1e-6), (1e-4, 1e-4)
EPOCHS, LR = 150, 0.1
DATA = np.array(
    [[1, 1, 1, 0, 0, 0]] * 3 + [[0, 0, 0, 1, 1, 1]] * 3 + [[1, 1, 0, 0, 0, 0], [0, 0, 0, 0, 1, 1]],
    dtype=float,
)
ALL_V = np.array(list(itertools.product([0.0, 1.0], repeat=6)))


def _sigmoid(x):
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


def _step(V, W, b, c, lr, u_h, u_v, variant=""):
    p0 = _sigmoid(V @ W + c)
    if variant == "greater":
        h0 = (u_h > p0).astype(float)
    elif variant == "less-equal":
        h0 = (u_h <= p0).astype(float)
    else:
        h0 = (u_h < p0).astype(float)
    drive = p0 if variant == "reconstruct-from-probabilities" else h0
    pv1 = _sigmoid(drive @ W.T + b)
    if variant == "probabilities-as-reconstruction":
        v1 = pv1
    elif variant == "less-equal":
        v1 = (u_v <= pv1).astype(float)
    elif variant == "greater":
        v1 = (u_v > pv1).astype(float)
    else:
        v1 = (u_v < pv1).astype(float)
    p1 = _sigmoid(v1 @ W + c)
    positive = h0 if variant == "samples-in-statistics" else p0
    n = 1.0 if variant == "sum" else V.shape[0]
    sign = -1.0 if variant == "reversed" else 1.0
    return (
        W + sign * lr * (V.T @ positive - v1.T @ p1) / n,
        b + sign * lr * (V - v1).sum(axis=0) / n,
        c + sign * lr * (positive - p1).sum(axis=0) / n,
    )


SLIPS = {
    "reversed": "the update has the wrong sign: data statistics minus reconstruction statistics, "
    "added to the parameters",
    "sum": "the statistics must be averaged over the N rows (divide by N), not summed",
    "greater": "a unit is on when its uniform is smaller than its probability (u < p), not larger",
    "less-equal": "a unit is on only when u < p strictly: u = 0.5 against p = 0.5 gives 0",
    "reconstruct-from-probabilities": "the reconstruction is driven by the binary hidden samples "
    "H0, not by the probabilities P0",
    "probabilities-as-reconstruction": "the reconstruction V1 must be binary samples "
    "(u_v < probability), not the probabilities themselves",
    "samples-in-statistics": "the data statistics use the hidden probabilities P0, not the samples H0",
}


def _safe_uniforms(rng, p):
    u = rng.random(p.shape)
    close = np.abs(u - p) < MARGIN
    while close.any():
        u[close] = rng.random(int(close.sum()))
        close = np.abs(u - p) < MARGIN
    return u


def _safe_step(rng, V, W, b, c, lr):
    u_h = _safe_uniforms(rng, _sigmoid(V @ W + c))
    h0 = (u_h < _sigmoid(V @ W + c)).astype(float)
    u_v = _safe_uniforms(rng, _sigmoid(h0 @ W.T + b))
    return u_h, u_v, _step(V, W, b, c, lr, u_h, u_v)


def _binary(rng, N, D):
    return (rng.random((N, D)) < 0.5).astype(float)


def cases(rng: np.random.Generator) -> list[Call]:
    V = _binary(rng, 6, 5)
    W, b, c = 0.7 * rng.normal(size=(5, 3)), 0.3 * rng.normal(size=5), 0.3 * rng.normal(size=3)
    u_h, u_v, _ = _safe_step(rng, V, W, b, c, 0.1)
    Vs = _binary(rng, 4, 5)
    Ws, bs, cs = 200 * rng.normal(size=(5, 3)), 5 * rng.normal(size=5), 5 * rng.normal(size=3)
    su_h, su_v, _ = _safe_step(rng, Vs, Ws, bs, cs, 0.05)
    V1 = _binary(rng, 1, 4)
    W1, b1, c1 = rng.normal(size=(4, 2)), rng.normal(size=4), rng.normal(size=2)
    u1_h, u1_v, _ = _safe_step(rng, V1, W1, b1, c1, 0.5)
    W0, b0, c0 = 0.01 * rng.normal(size=(6, 3)), np.zeros(6), np.zeros(3)
    params, uh_list, uv_list = (W0, b0, c0), [], []
    for _ in range(EPOCHS):
        uh, uv, params = _safe_step(rng, DATA, *params, LR)
        uh_list.append(uh)
        uv_list.append(uv)
    return [
        Call("step", "cd1_update", (V, W, b, c, 0.1, u_h, u_v), label="a batch of 6, D = 5, H = 3"),
        Call(
            "tie",
            "cd1_update",
            (
                np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]]),
                np.zeros((3, 2)),
                np.zeros(3),
                np.zeros(2),
                0.5,
                np.full((2, 2), 0.5),
                np.full((2, 3), 0.5),
            ),
            label="zero parameters with every uniform equal to 0.5 (a tie: every unit stays off)",
        ),
        Call(
            "saturated",
            "cd1_update",
            (Vs, Ws, bs, cs, 0.05, su_h, su_v),
            label="weights of size 200 (probabilities of 0 and 1)",
        ),
        Call("single", "cd1_update", (V1, W1, b1, c1, 0.5, u1_h, u1_v), label="a batch of one row"),
        Call(
            "train",
            "train_rbm",
            (DATA, W0, b0, c0, LR, np.array(uh_list), np.array(uv_list)),
            label=f"the lesson's data set, {EPOCHS} steps of CD-1 with lr = {LR}",
        ),
        Call(
            "train-none",
            "train_rbm",
            (DATA, W0, b0, c0, LR, np.zeros((0, 8, 3)), np.zeros((0, 8, 6))),
            label="zero training steps (the parameters come back unchanged)",
        ),
    ]


def _check(g: Grader, key: str, tol: tuple[float, float]) -> str | None:
    call = g.call(key)
    names = ("W", "b", "c")
    got = [
        g.array(key, i, what=f"{call.func}() on {call.description}, {names[i]}") for i in range(3)
    ]
    want = [np.asarray(g.expected(key, i)) for i in range(3)]
    rtol, atol = tol
    close = [bool(np.allclose(x, y, rtol=rtol, atol=atol)) for x, y in zip(got, want, strict=True)]
    if all(close):
        return None
    where = f"{call.func}() on {call.description}"
    if not all(np.all(np.isfinite(x)) for x in got):
        return f"{where} returned NaN or infinite parameters"
    if call.func == "cd1_update":
        for variant, diagnosis in SLIPS.items():
            alt = _step(*call.args, variant=variant)
            if all(np.allclose(x, y, rtol=rtol, atol=atol) for x, y in zip(got, alt, strict=True)):
                return f"{where}: {diagnosis}"
    name = names[close.index(False)]
    x, y = got[close.index(False)], want[close.index(False)]
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(np.abs(x - y))), y.shape))
    return f"{where}: {name}{list(index)} should be {y[index]:.6g}, but is {x[index]:.6g}"


def grade(g: Grader) -> None:
    g.custom("one CD-1 step", lambda: _check(g, "step", STEP_TOL), points=3)
    g.custom("a tie u = p gives 0", lambda: _check(g, "tie", STEP_TOL), points=1)
    g.custom("saturated probabilities", lambda: _check(g, "saturated", STEP_TOL), points=1)
    g.custom("a batch of one row", lambda: _check(g, "single", STEP_TOL), points=1)
    g.custom(
        "training on the lesson's data set",
        lambda: _check(g, "train", TRAIN_TOL),
        points=3,
        hint="step e must use u_h[e] and u_v[e], and each step starts from the previous step's parameters",
    )
    g.custom("zero training steps", lambda: _check(g, "train-none", STEP_TOL), points=1)


def _distribution(W, b, c):
    neg = ALL_V @ b + np.logaddexp(0.0, ALL_V @ W + c).sum(axis=1)
    return np.exp(neg - np.logaddexp.reduce(neg))


def figures(g: Grader) -> None:
    want = _distribution(*(g.expected("train", i) for i in range(3)))
    parts = [g.try_array("train", i) for i in range(3)]
    yours = None if any(p is None for p in parts) else _distribution(*parts)
    order = np.argsort(-want)[:12]
    labels = ["".join(str(int(x)) for x in ALL_V[i]) for i in order]
    g.figure(
        plots.compare_bars(
            labels,
            None if yours is None else yours[order],
            want[order],
            title=f"p(v) of the RBM after {EPOCHS} CD-1 steps: its 12 most likely patterns",
            y_label="probability",
        )
    )
    g.figure(
        plots.heatmap_pair(parts[0], g.expected("train", 0), title="trained weights W (6 × 3)")
    )
