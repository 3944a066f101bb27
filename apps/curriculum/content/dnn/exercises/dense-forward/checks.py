import itertools

import numpy as np

from apps.sandbox.grading import Call, Grader, plots
from apps.sandbox.grading.grader import CheckFailed

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


def _not_activated_last(g: Grader, key: str):
    def run():
        got = g.array(key)
        ref = np.asarray(g.expected(key))
        if np.allclose(got, ref, rtol=1e-6, atol=1e-8):
            return None
        if np.allclose(got, np.maximum(ref, 0.0), rtol=1e-6, atol=1e-8):
            raise CheckFailed(
                "your output is the ReLU of the correct output: you applied the activation to the last layer, "
                "which must stay linear (its outputs are scores and may be negative)"
            )
        raise CheckFailed(
            f"dense_forward() on {g.call(key).description} does not match the reference"
        )

    return run


def grade(g: Grader) -> None:
    g.check_close(
        "a ReLU network with layers of different widths",
        "relu",
        rtol=1e-6,
        points=2,
        hint="Each layer is H @ W.T + b with W of shape (d_out, d_in); apply ReLU on every layer but the last",
    )
    g.custom("the last layer is linear", _not_activated_last(g, "relu"), points=1)
    g.check_close(
        "a sigmoid network",
        "sigmoid",
        rtol=1e-6,
        points=2,
        hint="The sigmoid is 1/(1+exp(-z)); check that the activation argument is honoured",
    )
    g.check_close(
        "a single layer is purely affine",
        "single",
        rtol=1e-6,
        points=1,
        hint="With one layer there is no hidden layer, so no activation at all: the last layer is linear",
    )
    g.check_close(
        "a batch of one sample keeps shape (1, d_L)",
        "one",
        rtol=1e-6,
        points=1,
        hint="Do not squeeze the batch axis away; return shape (N, d_L) even when N = 1",
    )
    g.check_finite(
        "sigmoid stays finite for huge pre-activations",
        "extreme",
        points=1,
        hint="exp(z)/(1+exp(z)) is inf/inf = nan for large z; use 1/(1+exp(-z)) or a logaddexp form so the result stays finite",
    )
    g.check_close("sigmoid is correct for huge pre-activations", "extreme", rtol=1e-6, points=1)
    g.check_close("the output over a grid of inputs", "grid", rtol=1e-6, points=1)


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
