import itertools

import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots

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
            "hidden-tie",
            "cd1_update",
            (
                np.array([[1.0, 1.0, 0.0]]),
                np.array([[1.0, -1.0], [-1.0, 2.0], [0.5, 0.5]]),
                np.zeros(3),
                np.array([0.0, -1.0]),
                0.5,
                np.full((1, 2), 0.5),
                np.full((1, 3), 0.5),
            ),
            label="hidden inputs of exactly 0 with uniforms of 0.5 (both hidden units stay off)",
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


def grade(g: Grader) -> None:
    # One step: the default tolerance (the samples are built MARGIN away from every tie, so a
    # float32 run draws the same samples). Training: 150 steps pass rounding on, hence 1e-4.
    for key, name, points, tol in [
        ("step", "one CD-1 step", 3, STEP_TOL),
        ("tie", "a tie u = p gives 0", 1, STEP_TOL),
        ("hidden-tie", "a hidden tie gives 0", 0.5, STEP_TOL),
        ("saturated", "saturated probabilities", 1, STEP_TOL),
        ("single", "a batch of one row", 1, STEP_TOL),
        ("train", "training on the lesson's data set", 3, TRAIN_TOL),
        ("train-none", "zero training steps", 1, STEP_TOL),
    ]:
        for part, which in enumerate(("W", "b", "c")):
            g.check_close(
                f"{name}: {which}", key, part, rtol=tol[0], atol=tol[1], points=points / 3
            )


# --- known mistakes: what the learner did, where, and the fix ----------------------------------
def _variant(variant: str, *, first_uniforms: bool = False) -> dict:
    def cd1_update(V, W, b, c, lr, u_h, u_v):
        return _step(np.asarray(V, dtype=float), W, b, c, lr, u_h, u_v, variant=variant)

    def train_rbm(V, W, b, c, lr, u_h, u_v):
        for e in range(u_h.shape[0]):
            index = 0 if first_uniforms else e
            W, b, c = cd1_update(V, W, b, c, lr, u_h[index], u_v[index])
        return W, b, c

    if first_uniforms:
        return {"train_rbm": train_rbm}
    return {"cd1_update": cd1_update, "train_rbm": train_rbm}


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "tie-turns-on",
            diagnosis=(
                "You turn a unit on when u <= p: the tie u = 0.5 against sigmoid(0) = 0.5 gives "
                "1. A unit is on only when u < p strictly."
            ),
            fix="Use (u < p).astype(float) for both samples.",
            wrong=_variant("less-equal"),
        ),
        Mistake(
            "reconstruction-probabilities",
            diagnosis=(
                "Your negative phase uses the visible probabilities sigmoid(H0 W^T + b) instead "
                "of the binary reconstruction V1 sampled with u_v."
            ),
            fix="V1 = (u_v < sigmoid(H0 @ W.T + b)).astype(float), then P1 from V1.",
            wrong=_variant("probabilities-as-reconstruction"),
        ),
        Mistake(
            "reconstruct-from-probabilities",
            diagnosis=(
                "Your reconstruction is driven by the hidden probabilities P0 instead of the "
                "binary samples H0."
            ),
            fix="Use sigmoid(H0 @ W.T + b) for the visible probabilities.",
            wrong=_variant("reconstruct-from-probabilities"),
        ),
        Mistake(
            "samples-in-statistics",
            diagnosis=(
                "Your data statistics use the binary hidden samples H0 instead of the "
                "probabilities P0 (in the weight and hidden-bias updates)."
            ),
            fix="Use V^T P0 and P0 in the positive phase; H0 only drives the reconstruction.",
            wrong=_variant("samples-in-statistics"),
        ),
        Mistake(
            "phases-swapped",
            diagnosis=(
                "Your update subtracts the data statistics from the reconstruction's: every "
                "update has the opposite sign. It is data minus model, added to the parameters."
            ),
            fix="W + lr * (V^T P0 - V1^T P1) / N, and the same order for b and c.",
            wrong=_variant("reversed"),
        ),
        Mistake(
            "sum-not-mean",
            diagnosis=(
                "Your updates sum the statistics over the batch instead of averaging them: every "
                "change is N times too large."
            ),
            fix="Divide by N = V.shape[0].",
            wrong=_variant("sum"),
        ),
        Mistake(
            "train-reuses-first-uniforms",
            diagnosis=(
                "Your train_rbm uses u_h[0] and u_v[0] at every step; step e must use u_h[e] and "
                "u_v[e]."
            ),
            fix="Index the uniforms by the step: cd1_update(..., u_h[e], u_v[e]).",
            wrong=_variant("", first_uniforms=True),
        ),
    ]


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
