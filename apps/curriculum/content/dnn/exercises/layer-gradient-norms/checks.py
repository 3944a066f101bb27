import itertools

import numpy as np

from apps.sandbox.grading import Call, Grader, Mistake, PlainFigure, plots


def _network(rng, widths, gain):
    weights = [
        rng.normal(scale=np.sqrt(gain / d_in), size=(d_out, d_in))
        for d_in, d_out in itertools.pairwise(widths)
    ]
    biases = [rng.normal(scale=0.1, size=d_out) for d_out in widths[1:]]
    return weights, biases


def cases(rng: np.random.Generator) -> list[Call]:
    depth = int(rng.integers(12, 17))
    widths = [8] + [16] * (depth - 1) + [4]
    n = 32
    X = rng.normal(size=(n, 8))
    Y = rng.normal(size=(n, 4))
    Ws, bs = _network(rng, widths, gain=1.0)
    Wr, br = _network(rng, widths, gain=2.0)
    Wt, bt = _network(rng, [5, 7, 6, 3], gain=2.0)
    W1, b1 = _network(rng, [3, 2], gain=1.0)
    return [
        Call(
            "sigmoid",
            "layer_gradient_norms",
            (X, Y, Ws, bs, "sigmoid"),
            label=f"a {depth}-layer sigmoid network of width 16",
        ),
        Call(
            "relu",
            "layer_gradient_norms",
            (X, Y, Wr, br, "relu"),
            label=f"a {depth}-layer ReLU network of width 16 (He initialisation)",
        ),
        Call(
            "small",
            "layer_gradient_norms",
            (rng.normal(size=(6, 5)), rng.normal(size=(6, 3)), Wt, bt, "relu"),
            label="a 3-layer ReLU network, widths 5-7-6-3",
        ),
        Call(
            "single",
            "layer_gradient_norms",
            (rng.normal(size=(5, 3)), rng.normal(size=(5, 2)), W1, b1, "sigmoid"),
            label="a single linear layer 3-2",
        ),
    ]


# The norms span many orders of magnitude, so each is compared relatively (atol = 0). Each is a
# product of a few dozen well-conditioned factors: float32 is off by about 1e-6 relative, and
# the sigmoid's 1 - h near saturation by about 1e-5.
RTOL = 1e-4


def grade(g: Grader) -> None:
    g.check_close(
        "a deep sigmoid network, first layer first", "sigmoid", rtol=RTOL, atol=0, points=3
    )
    g.check_close("a deep ReLU network, first layer first", "relu", rtol=RTOL, atol=0, points=3)
    g.check_close("a small ReLU network", "small", rtol=RTOL, atol=0, points=2)
    g.check_close("a single linear layer", "single", rtol=RTOL, atol=0, points=1)
    g.custom(
        "sigmoid gradients shrink towards the input",
        lambda: (
            None
            if ((got := g.array("sigmoid"))[0] < got[-2])
            else f"your first-layer norm {got[0]:.3g} is not smaller than the last hidden layer's {got[-2]:.3g}; "
            "each sigmoid layer multiplies the backward signal by at most 1/4"
        ),
        points=1,
    )


# --- known mistakes ------------------------------------------------------------------------
def _norms(
    *, reverse=False, averaged=True, relu_slope="positive", sigmoid_slope="own", squared=False
):
    """The layer norms with one step done the wrong way."""

    def layer_gradient_norms(X, Y, weights, biases, activation):
        X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
        L = len(weights)
        hs = [X]
        for index, (W, b) in enumerate(zip(weights, biases, strict=True)):
            Z = hs[-1] @ np.asarray(W, dtype=float).T + b
            if index < L - 1:
                Z = np.maximum(Z, 0.0) if activation == "relu" else np.exp(-np.logaddexp(0.0, -Z))
            hs.append(Z)
        G = hs[-1] - Y
        if averaged:
            G = G / X.shape[0]
        norms = np.empty(L)
        for index in range(L - 1, -1, -1):
            dW = G.T @ hs[index]
            norms[index] = np.sum(dW**2) if squared else np.linalg.norm(dW)
            if index > 0:
                h = hs[index]
                if activation == "relu":
                    slope = (h >= 0.0 if relu_slope == "non-negative" else h > 0.0).astype(float)
                elif sigmoid_slope == "above":
                    slope = hs[index + 1] * (1.0 - hs[index + 1])
                elif sigmoid_slope == "activation":
                    slope = h
                else:
                    slope = h * (1.0 - h)
                G = (G @ np.asarray(weights[index], dtype=float)) * slope
        return norms[::-1] if reverse else norms

    return layer_gradient_norms


def mistakes() -> list[Mistake]:
    return [
        Mistake(
            "reversed-order",
            diagnosis=(
                "Your norms are listed output layer first: you append them while walking "
                "backwards and never reverse the list. Index 0 must be the first layer."
            ),
            fix="Fill norms[index] for each layer index, or reverse the list at the end: norms[::-1].",
            wrong=_norms(reverse=True),
        ),
        Mistake(
            "not-averaged",
            diagnosis=(
                "You start the backward pass from Yhat - Y: the loss is a mean over the N "
                "samples, so every norm is N times too large."
            ),
            fix="Start from G = (Yhat - Y) / N.",
            wrong=_norms(averaged=False),
        ),
        Mistake(
            "squared-norm",
            diagnosis="You record the squared Frobenius norm, np.sum(dW ** 2), not the norm.",
            fix="Take its square root: np.linalg.norm(dW).",
            wrong=_norms(squared=True),
        ),
        Mistake(
            "relu-derivative-non-negative",
            diagnosis=(
                "Your ReLU derivative is (h >= 0), which is 1 for every unit, since h = max(0, z) "
                "is never negative: the inactive units pass the gradient back too."
            ),
            fix="Use (h > 0): ReLU'(z) is 0 where the unit is off.",
            wrong=_norms(relu_slope="non-negative"),
        ),
        Mistake(
            "sigmoid-derivative-of-layer-above",
            diagnosis=(
                "Your sigmoid derivative uses the activations of the layer above, hs[l + 1]; the "
                "error is being pushed into layer l, whose output is hs[l]."
            ),
            fix="slope = hs[l] * (1 - hs[l]) for the layer the error enters.",
            wrong=_norms(sigmoid_slope="above"),
        ),
        Mistake(
            "sigmoid-activation-not-derivative",
            diagnosis=(
                "You multiply the backward signal by the sigmoid's output h, not by its "
                "derivative h (1 - h)."
            ),
            fix="sigma'(z) = h * (1 - h) with h = sigma(z).",
            wrong=_norms(sigmoid_slope="activation"),
        ),
    ]


def figures(g: Grader) -> None:
    fig = PlainFigure()
    for key, dash_ref in (("sigmoid", "solid"), ("relu", "dot")):
        ref = np.asarray(g.expected(key))
        layers = np.arange(1, ref.shape[0] + 1)
        fig.add_scatter(
            x=layers,
            y=ref,
            name=f"{key}: reference",
            mode="lines+markers",
            line={"color": plots.REFERENCE, "width": 3, "dash": dash_ref},
        )
        yours = g.try_array(key)
        if yours is not None and np.all(yours > 0):
            fig.add_scatter(
                x=layers,
                y=yours,
                name=f"{key}: yours",
                mode="lines+markers",
                line={"color": plots.LEARNER, "dash": "dash" if key == "sigmoid" else "dashdot"},
                marker={"symbol": "x"},
            )
    fig.update_yaxes(type="log")
    fig.update_layout(
        title={"text": "‖∂L/∂W⁽ℓ⁾‖ by layer: sigmoid vs ReLU (log scale)"},
        xaxis_title="layer ℓ (1 = input side)",
        yaxis_title="gradient norm",
        height=400,
    )
    g.figure(fig)
