import itertools

import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading import Call, Grader, plots
from apps.sandbox.grading.grader import CheckFailed


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


def _ordered(g: Grader, key: str):
    def run():
        got = g.array(key)
        ref = np.asarray(g.expected(key))
        if np.allclose(got, ref, rtol=1e-6, atol=0):
            return None
        if np.allclose(got, ref[::-1], rtol=1e-6, atol=0):
            raise CheckFailed(
                f"your norms on {g.call(key).description} are the right numbers in reversed order: "
                "index 0 must be the first layer (nearest the input), not the output layer"
            )
        close = np.isclose(got, ref, rtol=1e-6, atol=0)
        if close[-1] and not close.all():
            worst = int(np.flatnonzero(~close)[-1])
            raise CheckFailed(
                f"on {g.call(key).description} the output layer's norm is right but layer index {worst} is not "
                f"(expected {ref[worst]:.4g}, got {got[worst]:.4g}): when passing the error back through a hidden "
                "layer, multiply by the derivative of the activation, sigma'(z) = h (1 - h) or ReLU'(z) = 1[h > 0]"
            )
        worst = int(np.argmax(np.abs(np.log(np.abs(got) + 1e-300) - np.log(ref))))
        raise CheckFailed(
            f"on {g.call(key).description} layer index {worst} has norm {got[worst]:.4g}, expected {ref[worst]:.4g}"
        )

    return run


def grade(g: Grader) -> None:
    g.custom("a deep sigmoid network, first layer first", _ordered(g, "sigmoid"), points=3)
    g.custom("a deep ReLU network, first layer first", _ordered(g, "relu"), points=3)
    g.check_close(
        "a small ReLU network",
        "small",
        rtol=1e-6,
        atol=0,
        points=2,
        hint="Use ReLU'(z) = 1 where the activation is positive and 0 elsewhere; the last layer is linear",
    )
    g.check_close(
        "a single linear layer",
        "single",
        rtol=1e-6,
        atol=0,
        points=1,
        hint="With one layer the gradient is G.T @ X with G = (Yhat - Y) / N and no activation anywhere",
    )
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


def figures(g: Grader) -> None:
    fig = go.Figure()
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
