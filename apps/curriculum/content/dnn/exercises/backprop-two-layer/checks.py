import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, plots

NAMES = ("dW1", "db1", "dW2", "db2")


def _params(rng, d0, d1, d2):
    return (
        rng.normal(scale=1.0 / np.sqrt(d0), size=(d1, d0)),
        rng.normal(scale=0.3, size=d1),
        rng.normal(scale=1.0 / np.sqrt(d1), size=(d2, d1)),
        rng.normal(scale=0.3, size=d2),
    )


def _loss(X, Y, W1, b1, W2, b2):
    H = np.tanh(X @ W1.T + b1)
    R = H @ W2.T + b2 - Y
    return 0.5 * float(np.sum(R * R)) / X.shape[0]


def cases(rng: np.random.Generator) -> list[Call]:
    n = int(rng.integers(6, 13))
    d0, d1, d2 = 4, int(rng.integers(5, 8)), 3
    X = rng.normal(size=(n, d0))
    Y = rng.normal(size=(n, d2))
    single_X = rng.normal(size=(1, 3))
    single_Y = rng.normal(size=(1, 2))
    return [
        Call(
            "batch",
            "two_layer_gradients",
            (X, Y, *_params(rng, d0, d1, d2)),
            label=f"a batch of {n} samples, widths {d0}-{d1}-{d2}",
        ),
        Call(
            "single",
            "two_layer_gradients",
            (single_X, single_Y, *_params(rng, 3, 5, 2)),
            label="a single sample, widths 3-5-2",
        ),
        Call(
            "large",
            "two_layer_gradients",
            (rng.normal(size=(40, 5)), rng.normal(size=(40, 1)), *_params(rng, 5, 32, 1)),
            label="a batch of 40 samples, widths 5-32-1",
        ),
    ]


def _fd_check(g: Grader, key: str, part: int, points: float = 1) -> None:
    args = [np.asarray(a, dtype=float) for a in g.args(key)]

    def f(theta):
        trial = list(args)
        trial[2 + part] = theta
        return _loss(*trial)

    # Central differences of a smooth loss with eps = 1e-6: truncation about 1e-12, rounding
    # about 1e-10 relative; 1e-4 leaves room for a float32 backward pass.
    g.check_gradient(
        f"{NAMES[part]} matches finite differences ({g.call(key).description})",
        key,
        f,
        args[2 + part],
        part,
        eps=1e-6,
        rtol=1e-4,
        atol=1e-7,
        points=points,
    )


def grade(g: Grader) -> None:
    _fd_check(g, "batch", 2, points=1)
    _fd_check(g, "batch", 3, points=1)
    _fd_check(g, "batch", 0, points=2)
    _fd_check(g, "batch", 1, points=1)
    for part in range(4):
        g.check_close(f"{NAMES[part]} on a batch", "batch", part, points=0.25)
    for part in range(4):
        g.check_close(f"{NAMES[part]} for a single sample", "single", part, points=0.5)
    g.check_close("dW1 for a wide hidden layer", "large", 0, points=1)


# --- known mistakes ------------------------------------------------------------------------
def _backprop(
    *,
    divide_output=True,
    divide_hidden=True,
    derivative="tanh",
    bias="sum",
    transposed=False,
):
    """The backward pass with one step done the wrong way."""

    def two_layer_gradients(X, Y, W1, b1, W2, b2):
        X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
        n = X.shape[0]
        Z = X @ W1.T + b1
        H = np.tanh(Z)
        E = H @ W2.T + b2 - Y
        G2 = E / n if divide_output else E
        back = (E / n if divide_hidden else E) @ W2
        if derivative == "tanh":
            G1 = back * (1.0 - H * H)
        elif derivative == "of-z":
            G1 = back * (1.0 - Z * Z)
        else:
            G1 = back
        if bias == "sum":
            db1, db2 = G1.sum(axis=0), G2.sum(axis=0)
        elif bias == "mean":
            db1, db2 = G1.mean(axis=0), G2.mean(axis=0)
        else:
            db1, db2 = G1.sum(axis=1), G2.sum(axis=0)
        if transposed:
            return X.T @ G1, db1, H.T @ G2, db2
        return G1.T @ X, db1, G2.T @ H, db2

    return two_layer_gradients


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "first-layer-not-averaged",
            diagnosis=(
                "Your output-layer gradients divide by N, but the error you push back into the "
                "first layer does not: dW1 and db1 are N times too large."
            ),
            fix="Backpropagate G2 = (Yhat - Y) / N itself: G1 = (G2 @ W2) * (1 - H**2).",
            wrong=_backprop(divide_hidden=False),
        ),
        Mistake(
            "sum-not-mean",
            diagnosis=(
                "Every gradient is N times too large: the output error is Yhat - Y, the gradient "
                "of the summed loss, but the loss is a mean over the N samples."
            ),
            fix="Start from G2 = (Yhat - Y) / N.",
            wrong=_backprop(divide_output=False, divide_hidden=False),
        ),
        Mistake(
            "bias-mean-twice",
            diagnosis=(
                "You average the error over the batch for the bias gradients, but G already "
                "carries the 1/N: db1 and db2 are N times too small."
            ),
            fix="Sum over the samples: db = G.sum(axis=0).",
            wrong=_backprop(bias="mean"),
        ),
        Mistake(
            "bias-sum-wrong-axis",
            diagnosis=(
                "db1 sums G1 over axis 1, the hidden units, giving one number per sample; the "
                "bias is shared by the samples, so its gradient sums over axis 0."
            ),
            fix="db1 = G1.sum(axis=0), of shape (d1,).",
            wrong=_backprop(bias="axis-1"),
        ),
        Mistake(
            "tanh-derivative-of-z",
            diagnosis=(
                "You multiply by 1 - Z**2 with the pre-activation Z; the derivative of tanh is "
                "1 - tanh(Z)**2 = 1 - H**2."
            ),
            fix="G1 = (G2 @ W2) * (1 - H**2) with H = np.tanh(Z).",
            wrong=_backprop(derivative="of-z"),
        ),
        Mistake(
            "no-tanh-derivative",
            diagnosis=(
                "The derivative of tanh is missing from the backward step: G1 = G2 @ W2 skips "
                "the activation between the layers (dW2 and db2 are right, the first layer's are not)."
            ),
            fix="Multiply elementwise by tanh'(Z) = 1 - H**2: G1 = (G2 @ W2) * (1 - H**2).",
            wrong=_backprop(derivative="none"),
        ),
        Mistake(
            "transposed-weight-gradient",
            diagnosis=(
                "Your weight gradients are X.T @ G1 and H.T @ G2, the transposes: dW must have "
                "the shape of W, (d_out, d_in)."
            ),
            fix="dW1 = G1.T @ X and dW2 = G2.T @ H.",
            wrong=_backprop(transposed=True),
        ),
    ]


def figures(g: Grader) -> None:
    ref = [np.asarray(g.expected("batch", p)) for p in range(4)]
    got = [g.try_array("batch", p) for p in range(4)]
    yours = None if any(x is None for x in got) else np.array([np.linalg.norm(x) for x in got])
    g.figure(
        plots.compare_bars(
            [f"‖{name}‖" for name in NAMES],
            yours,
            np.array([np.linalg.norm(x) for x in ref]),
            title="size of each gradient (Frobenius norm), batch case",
            y_label="norm",
        )
    )
    g.figure(
        plots.heatmap_pair(
            got[0], ref[0], title="∂L/∂W⁽¹⁾: one row per hidden unit, one column per input"
        )
    )
