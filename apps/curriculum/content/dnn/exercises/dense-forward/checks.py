import itertools

import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, conditioned, plots

GRID = 25


def _network(rng, widths, scale=1.0):
    weights = [
        rng.normal(scale=scale / np.sqrt(d_in), size=(d_out, d_in))
        for d_in, d_out in itertools.pairwise(widths)
    ]
    biases = [rng.normal(scale=0.5, size=d_out) for d_out in widths[1:]]
    return weights, biases


def cases(rng: np.random.Generator) -> list[Call]:
    n = int(rng.integers(5, 11))
    relu_widths = [5, int(rng.integers(6, 10)), 4, 3]
    sig_widths = [4, int(rng.integers(5, 9)), 6, 2]
    W, b = _network(rng, relu_widths, scale=1.5)
    Ws, bs = _network(rng, sig_widths, scale=2.0)
    W1, b1 = _network(rng, [3, 2])
    Wo, bo = _network(rng, [6, 5, 2])
    Wx, bx = _network(rng, [3, 4, 2])
    # Square weight matrices: a product with W instead of W.T keeps every shape.
    Wq, bq = _network(rng, [4, 4, 4, 4], scale=1.5)
    # Pre-activations reaching +1000 in the first layer, under every seed: a naive
    # e^z / (1 + e^z) overflows there (e^z is inf beyond 709).
    Xx = rng.normal(size=(4, 3))
    z = Xx @ Wx[0].T
    i, j = np.unravel_index(int(np.argmax(np.abs(z))), z.shape)
    Xx[i] *= np.sign(z[i, j])
    Wx[0] = Wx[0] * (1000.0 / abs(z[i, j]))
    xs = np.linspace(-2.0, 2.0, GRID)
    grid = np.array([[x, y] for y in xs for x in xs])
    Wg, bg = _network(rng, [2, 16, 16, 1], scale=2.5)
    return [
        Call(
            "relu",
            "dense_forward",
            (rng.normal(size=(n, 5)), W, b),
            {"activation": "relu"},
            label="a 3-layer ReLU network with widths " + "-".join(map(str, relu_widths)),
        ),
        Call(
            "sigmoid",
            "dense_forward",
            (rng.normal(size=(n, 4)), Ws, bs),
            {"activation": "sigmoid"},
            label="a 3-layer sigmoid network with widths " + "-".join(map(str, sig_widths)),
        ),
        Call(
            "single",
            "dense_forward",
            (rng.normal(size=(n, 3)), W1, b1),
            {"activation": "relu"},
            label="a network of a single (linear) layer 3-2",
        ),
        Call(
            "one",
            "dense_forward",
            (rng.normal(size=(1, 6)), Wo, bo),
            {"activation": "relu"},
            label="a batch of one sample, shape (1, 6)",
        ),
        Call(
            "square",
            "dense_forward",
            (rng.normal(size=(n, 4)), Wq, bq),
            {"activation": "relu"},
            label="a 3-layer ReLU network whose weight matrices are all 4x4",
        ),
        Call(
            "extreme",
            "dense_forward",
            (Xx, Wx, bx),
            {"activation": "sigmoid"},
            label="a sigmoid network with pre-activations up to 1000",
        ),
        Call(
            "grid",
            "dense_forward",
            (grid, Wg, bg),
            {"activation": "relu"},
            label=f"a {GRID}x{GRID} grid of 2-D inputs through a 2-16-16-1 ReLU network",
        ),
    ]


def grade(g: Grader) -> None:
    g.check_close("a ReLU network with layers of different widths", "relu", points=2)
    g.check_close("a sigmoid network", "sigmoid", points=2)
    g.check_close("a network of square weight matrices", "square", points=1)
    g.check_close("a single layer is purely affine", "single", points=1)
    g.check_close("a batch of one sample keeps shape (1, d_L)", "one", points=1)
    g.check_finite("sigmoid stays finite for huge pre-activations", "extreme", points=1)
    # Pre-activations near 1000 are rounded by about 6e-5 in float32: conditioned accordingly.
    g.check_close(
        "sigmoid is correct for huge pre-activations", "extreme", rtol=conditioned(1000.0), points=1
    )
    g.check_close("the output over a grid of inputs", "grid", points=1)


# --- known mistakes ------------------------------------------------------------------------
def _sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -z))


def _network_with(layer):
    """dense_forward built from ``layer(H, W, b, is_last, activation) -> H``."""

    def forward(X, weights, biases, activation="relu"):
        H = np.asarray(X, dtype=float)
        last = len(weights) - 1
        for index, (W, b) in enumerate(zip(weights, biases, strict=False)):
            H = layer(
                H, np.asarray(W, dtype=float), np.asarray(b, dtype=float), index, last, activation
            )
        return H

    return forward


def _act(z, activation):
    return np.maximum(z, 0.0) if activation == "relu" else _sigmoid(z)


def _every_layer(H, W, b, index, last, activation):
    Z = H @ W.T + b
    return np.maximum(Z, 0.0) if activation == "relu" else 1.0 / (1.0 + np.exp(-Z))


def _bias_after(H, W, b, index, last, activation):
    Z = H @ W.T
    return (Z if index == last else _act(Z, activation)) + b


def _skips_first(H, W, b, index, last, activation):
    Z = H @ W.T + b
    return _act(Z, activation) if index > 0 else Z


def _no_transpose(H, W, b, index, last, activation):
    Z = H @ W + b
    return Z if index == last else _act(Z, activation)


def _sigmoid_sign(H, W, b, index, last, activation):
    Z = H @ W.T + b
    if index == last:
        return Z
    return np.maximum(Z, 0.0) if activation == "relu" else np.exp(-np.logaddexp(0.0, Z))


def _naive_sigmoid(H, W, b, index, last, activation):
    Z = H @ W.T + b
    if index == last:
        return Z
    if activation == "relu":
        return np.maximum(Z, 0.0)
    e = np.exp(Z)
    return e / (1.0 + e)


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "activation-on-output",
            diagnosis=(
                "You apply the activation to the last layer too: the output layer must stay "
                "linear, since its outputs are scores (or logits) that may be negative."
            ),
            fix="Activate every layer except the last: only when index < len(weights) - 1.",
            wrong=_network_with(_every_layer),
        ),
        Mistake(
            "bias-after-activation",
            diagnosis=(
                "You add the bias after the activation, phi(H W^T) + b, instead of inside it, "
                "phi(H W^T + b)."
            ),
            fix="Form the whole pre-activation first, Z = H @ W.T + b, then apply the activation to Z.",
            wrong=_network_with(_bias_after),
        ),
        Mistake(
            "activation-skips-first",
            diagnosis=(
                "You activate the layers with index > 0: the first hidden layer stays linear "
                "and the output layer gets the activation."
            ),
            fix="Activate when index < len(weights) - 1: every layer but the last.",
            wrong=_network_with(_skips_first),
        ),
        Mistake(
            "missing-transpose",
            diagnosis=(
                "You multiply H @ W: weights[l] has shape (d_out, d_in), so the batched layer "
                "needs its transpose, H @ W.T (with square matrices the shapes agree, but the "
                "values do not)."
            ),
            fix="Z = H @ W.T + b: row n of Z is W h_n + b.",
            wrong=_network_with(_no_transpose),
        ),
        Mistake(
            "sigmoid-sign",
            diagnosis="Your sigmoid is 1 / (1 + e^z), which is sigma(-z): the sign of z is flipped.",
            fix="sigma(z) = 1 / (1 + e^(-z)), stably np.exp(-np.logaddexp(0, -z)).",
            wrong=_network_with(_sigmoid_sign),
        ),
        Mistake(
            "naive-sigmoid",
            diagnosis=(
                "You compute the sigmoid as e^z / (1 + e^z): for z beyond about 709, e^z "
                "overflows to inf and inf / inf is NaN."
            ),
            fix="Use 1 / (1 + np.exp(-z)), or the overflow-free np.exp(-np.logaddexp(0, -z)).",
            wrong=_network_with(_naive_sigmoid),
        ),
    ]


def figures(g: Grader) -> None:
    ref = np.asarray(g.expected("grid")).reshape(GRID, GRID)
    yours = g.try_array("grid")
    fig = plots.heatmap_pair(
        None if yours is None else yours.reshape(GRID, GRID),
        ref,
        title="network output over the square [-2, 2]² (2-16-16-1, ReLU)",
        colorscale="Viridis",
    )
    fig.update_yaxes(autorange=True)
    g.figure(fig)
    ref_rows = np.asarray(g.expected("relu"))
    got_rows = g.try_array("relu")
    g.figure(
        plots.compare_bars(
            [f"output {k + 1}" for k in range(ref_rows.shape[1])],
            None if got_rows is None else got_rows[0],
            ref_rows[0],
            title="outputs of the ReLU network for the first sample",
            y_label="score",
        )
    )
