import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, changes_argument, plots, subplots
from apps.sandbox.grading.grader import CheckFailed

PARTS = ("losses", "W1", "b1", "W2", "b2")


def _moons(rng, n):
    half = n // 2
    t0 = rng.uniform(0, np.pi, half)
    t1 = rng.uniform(0, np.pi, n - half)
    upper = np.stack([np.cos(t0), np.sin(t0)], axis=1)
    lower = np.stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)], axis=1)
    X = np.concatenate([upper, lower]) + rng.normal(scale=0.1, size=(n, 2)) - np.array([0.5, 0.25])
    y = np.concatenate([np.zeros(half), np.ones(n - half)])
    order = rng.permutation(n)
    return X[order], y[order]


def _xor(rng, n):
    X = rng.uniform(-1, 1, size=(n, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(float)
    return X + rng.normal(scale=0.05, size=X.shape), y


def _init(rng, width):
    return (
        rng.normal(scale=1.0, size=(width, 2)),
        rng.normal(scale=0.5, size=width),
        rng.normal(scale=1.0 / np.sqrt(width), size=(1, width)),
        np.zeros(1),
    )


def _saturated(rng):
    """Parameters whose logits reach |z| > 709, where exp(z) overflows (a built-in stress case)."""
    W1, _, _, b2 = _init(rng, 8)
    # Biases of 5 saturate every tanh near 1 (|W1 x| < 3.5 here), so z is about 8 * 300 = 2400.
    b1 = np.full(8, 5.0)
    W2 = np.full((1, 8), 300.0)
    return 0.5 * W1, b1, W2, b2


def _logits(X, W1, b1, W2, b2):
    H = np.tanh(X @ W1.T + b1)
    return H, (H @ W2.T + b2)[:, 0]


def _train(X, y, W1, b1, W2, b2, lr, steps, *, mistake=""):
    """The reference's algorithm, or one of the declared mistakes (to recognise it)."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    W1, b1, W2, b2 = (np.array(p, dtype=float) for p in (W1, b1, W2, b2))
    losses = []
    for t in range(steps + 1):
        H, z = _logits(X, W1, b1, W2, b2)
        losses.append(float(np.mean(np.logaddexp(0.0, z) - y * z)))
        if t == steps:
            break
        p = np.exp(-np.logaddexp(0.0, -z))
        dz = (p - y) / len(y)
        if mistake == "sigmoid-derivative":
            dz = dz * p * (1.0 - p)
        g = dz[:, None]
        W2_new, b2_new = W2 - lr * g.T @ H, b2 - lr * g.sum(axis=0)
        if mistake == "sequential":
            W2 = W2_new
        G1 = (g @ W2) * (1.0 - H * H)
        W2, b2 = W2_new, b2_new
        W1, b1 = W1 - lr * G1.T @ X, b1 - lr * G1.sum(axis=0)
    out = np.array(losses)
    if mistake == "no-initial-loss":
        out = out[1:]
    if mistake == "scalar-b2":
        return out, W1, b1, W2, float(b2[0])
    return out, W1, b1, W2, b2


def _wrong(mistake):
    def train_mlp(X, y, W1, b1, W2, b2, lr, steps):
        return _train(X, y, W1, b1, W2, b2, lr, steps, mistake=mistake)

    return train_mlp


def _not_averaged(g: Grader) -> bool:
    """The loss curve starts as a learning rate N times larger makes it (the first steps only:
    N times the learning rate makes training chaotic, and rounding then grows past any
    tolerance)."""
    X, y, W1, b1, W2, b2, lr, steps = g.args("moons")
    got = g.array("moons", 0)
    scaled = _train(X, y, W1, b1, W2, b2, lr * len(y), steps)[0]
    return got.shape == scaled.shape and bool(
        np.allclose(got[:5], scaled[:5], rtol=1e-4, atol=1e-9)
    )


def cases(rng: np.random.Generator) -> list[Call]:
    n = int(rng.integers(80, 121))
    Xm, ym = _moons(rng, n)
    Xx, yx = _xor(rng, 80)
    steps = int(rng.integers(250, 351))
    return [
        Call(
            "moons",
            "train_mlp",
            (Xm, ym, *_init(rng, 16), 1.0, steps),
            label=f"two moons, {n} points, 16 hidden units, lr = 1, {steps} steps",
        ),
        Call(
            "xor",
            "train_mlp",
            (Xx, yx, *_init(rng, 8), 0.5, 200),
            label="a noisy XOR pattern, 80 points, 8 hidden units, lr = 0.5, 200 steps",
        ),
        Call(
            "saturated",
            "train_mlp",
            (Xx[:20], yx[:20], *_saturated(rng), 1e-3, 3),
            label="saturated units and output weights of 300: logits near 2400 on 20 points, lr = 0.001, 3 steps",
        ),
        Call(
            "zero",
            "train_mlp",
            (Xx[:10], yx[:10], *_init(rng, 4), 0.5, 0),
            label="steps = 0 on 10 points",
        ),
    ]


def _curve_length(g: Grader, key: str):
    def run():
        steps = g.args(key)[7]
        got = np.asarray(g.output(key, 0), dtype=float)
        if got.ndim != 1 or got.shape[0] != steps + 1:
            raise CheckFailed(
                f"losses on {g.call(key).description} should have steps + 1 = {steps + 1} entries "
                f"(the loss before the first update and after each of the {steps} updates), "
                f"but has shape {tuple(got.shape)}"
            )
        return None

    return run


# Tolerances: a few hundred full-batch steps of a well-conditioned small network (NOTATION.md,
# ill-conditioned problems): float32 rounding (6e-8 per operation) grows along the training
# trajectory to about 1e-5 relative, so the curve and final parameters get rtol 1e-4, far
# below what any declared mistake changes (every one moves the loss by 1e-2 or more).
RTOL = 1e-4


def grade(g: Grader) -> None:
    g.custom("the loss curve has steps + 1 entries", _curve_length(g, "moons"), points=1)
    g.check_close("the loss curve on two moons", "moons", 0, rtol=RTOL, points=3)
    for part in range(1, 5):
        g.check_close(f"final {PARTS[part]} on two moons", "moons", part, rtol=RTOL, points=0.5)
    g.check_close("the loss curve on XOR", "xor", 0, rtol=RTOL, points=2)
    g.check_close("the loss curve with logits near 2400", "saturated", 0, rtol=RTOL)
    g.custom("steps = 0 gives one loss", _curve_length(g, "zero"), points=0.5)
    for part in range(1, 5):
        g.check_close(f"steps = 0 returns the initial {PARTS[part]}", "zero", part, points=0.25)
    g.check_inputs_unchanged("leaves the caller's initial parameters unchanged")


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "no-initial-loss",
            diagnosis=(
                "Your losses start after the first update: the loss of the initial parameters "
                "is missing, so there are steps entries instead of steps + 1."
            ),
            fix="Record the loss before each update and once more after the last one.",
            wrong=_wrong("no-initial-loss"),
            rtol=RTOL,
        ),
        Mistake(
            "sigmoid-derivative",
            diagnosis=(
                "You multiply the output error by sigma'(z) = sigma(z)(1 - sigma(z)), as for a "
                "squared error: for the logistic loss dL/dz is just (sigma(z) - y) / N."
            ),
            fix="dz = (sigmoid(z) - y) / N, with no further factor.",
            wrong=_wrong("sigmoid-derivative"),
            rtol=RTOL,
        ),
        Mistake(
            "sequential-updates",
            diagnosis=(
                "You update W2 and b2 first and then compute the first layer's gradient with the "
                "new W2, so the four parameters are not updated from the same point."
            ),
            fix="Compute all four gradients before changing any parameter.",
            wrong=_wrong("sequential"),
            rtol=RTOL,
        ),
        Mistake(
            "scalar-b2",
            diagnosis=(
                "Your final b2 is a number (shape ()), not an array of the input's shape (1,)."
            ),
            fix="Keep b2 an array: b2 = np.array(b2, dtype=float) and update it as one.",
            wrong=_wrong("scalar-b2"),
            rtol=RTOL,
        ),
        Mistake(
            "not-averaged",
            diagnosis=(
                "Your gradient is a sum over the N points, not a mean: the loss is a mean, so "
                "the output error dL/dz is (sigma(z) - y) / N; without 1/N every step is N times "
                "too large."
            ),
            fix="dz = (sigmoid(z) - y) / N.",
            predicate=_not_averaged,
        ),
        Mistake(
            "updates-inputs-in-place",
            diagnosis=(
                "Your training is right, but it updates the caller's arrays in place "
                "(W1 -= ... on np.asarray of the inputs), so the initial parameters passed in "
                "are overwritten."
            ),
            fix="Copy the parameters first: W1 = np.array(W1, dtype=float), and so on.",
            predicate=changes_argument("W1", "b1", "W2", "b2"),
        ),
    ]


def figures(g: Grader) -> None:
    ref = np.asarray(g.expected("moons", 0))
    yours = g.try_array("moons", 0)
    t = np.arange(ref.shape[0])
    g.figure(
        plots.compare_lines(
            t,
            yours,
            ref,
            title="training loss on two moons",
            x_label="step t",
            y_label="mean logistic loss (nats)",
            log_y=True,
        )
    )
    X, y = np.asarray(g.arg("moons", 0)), np.asarray(g.arg("moons", 1))
    xs = np.linspace(X[:, 0].min() - 0.3, X[:, 0].max() + 0.3, 40)
    ys = np.linspace(X[:, 1].min() - 0.3, X[:, 1].max() + 0.3, 40)
    grid = np.array([[a, b] for b in ys for a in xs])
    fig = subplots(2, titles=("yours", "reference"))
    for col, key_source in ((1, "yours"), (2, "reference")):
        if key_source == "yours":
            params = [g.try_array("moons", p) for p in range(1, 5)]
            if any(p is None for p in params) or not all(np.all(np.isfinite(p)) for p in params):
                continue
        else:
            params = [np.asarray(g.expected("moons", p)) for p in range(1, 5)]
        _, z = _logits(grid, *params)
        prob = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
        fig.add_contour(
            x=xs,
            y=ys,
            z=prob.reshape(40, 40),
            colorscale="RdBu",
            zmin=0,
            zmax=1,
            showscale=False,
            contours={"start": 0, "end": 1, "size": 0.1},
            opacity=0.8,
            name="P(class 1)",
            row=1,
            col=col,
        )
        for label, colour in ((0, "#111827"), (1, "#f9fafb")):
            pts = X[y == label]
            fig.add_scatter(
                x=pts[:, 0],
                y=pts[:, 1],
                mode="markers",
                name=f"class {label}",
                showlegend=col == 2,
                marker={"size": 5, "color": colour, "line": {"width": 1, "color": "#374151"}},
                row=1,
                col=col,
            )
    fig.update_layout(
        title={"text": "decision boundary after training: P(class 1) over the plane"}, height=400
    )
    g.figure(fig)
