"""Concept checks of the lesson: a forward pass by hand, the shapes of a batched layer, two
linear layers collapsing into one, and a parameter count."""

import numpy as np

from apps.sandbox.grading.questions import Matrix, Number, Vector, Wrong


def _matrix(a: np.ndarray) -> str:
    rows = " \\\\ ".join(" & ".join(f"{v:g}" for v in row) for row in a)
    return f"\\begin{{pmatrix}} {rows} \\end{{pmatrix}}"


def forward_by_hand(rng: np.random.Generator) -> Number:
    while True:
        w1 = rng.integers(-2, 3, size=(2, 2)).astype(float)
        b1 = rng.integers(-1, 2, size=2).astype(float)
        x = rng.integers(-2, 3, size=2).astype(float)
        z = w1 @ x + b1
        # one hidden unit on and one off, so a missing ReLU shows; and W1 not symmetric
        if (z > 0).any() and (z < 0).any() and w1[0, 1] != w1[1, 0]:
            break
    w2 = rng.choice([-2, -1, 1, 2], size=2).astype(float)
    b2 = float(rng.choice([-1.0, -0.5, 0.5, 1.0]))
    h = np.maximum(z, 0.0)
    out = float(w2 @ h + b2)
    wrong = [
        Wrong(
            float(w2 @ z + b2),
            "You left out the ReLU: the hidden unit with a negative pre-activation must output 0.",
        ),
        Wrong(
            float(w2 @ np.maximum(w1.T @ x + b1, 0.0) + b2),
            "You used $W^{(1)\\top}$: row $i$ of $W^{(1)}$ holds the weights of hidden unit $i$, so $z_i = \\sum_j W_{ij} x_j$.",
        ),
        Wrong(float(w2 @ h), "The output bias $b^{(2)}$ is missing."),
    ]
    if out < 0:
        wrong.append(
            Wrong(0.0, "The output layer is linear: no ReLU on $\\hat y$, which may be negative.")
        )
    return Number(
        prompt=(
            f"A ReLU network with $W^{{(1)}} = {_matrix(w1)}$, $\\mathbf{{b}}^{{(1)}} = ({b1[0]:g}, {b1[1]:g})^\\top$, "
            f"$W^{{(2)}} = ({w2[0]:g} \\;\\; {w2[1]:g})$ and $b^{{(2)}} = {b2:g}$ (linear output). "
            f"What is $\\hat y$ for $\\mathbf{{x}} = ({x[0]:g}, {x[1]:g})^\\top$?"
        ),
        answer=out,
        wrong=wrong,
        explanation=(
            f"$\\mathbf{{z}}^{{(1)}} = W^{{(1)}}\\mathbf{{x}} + \\mathbf{{b}}^{{(1)}} = ({z[0]:g}, {z[1]:g})$, "
            f"ReLU gives $({h[0]:g}, {h[1]:g})$, and $\\hat y = {w2[0]:g}\\cdot{h[0]:g} + {w2[1]:g}\\cdot{h[1]:g} + {b2:g} = {out:g}$."
        ),
    )


def batch_shape(rng: np.random.Generator) -> Vector:
    n, d_in, d_out = (
        int(v) for v in rng.choice([8, 16, 32, 64, 100, 128, 10], size=3, replace=False)
    )
    answer = [n, d_out]
    wrong = [
        Wrong([d_out, n], "The batch stays on the first axis: $H W^\\top$ has one row per sample."),
        Wrong(
            [n, d_in],
            "That is the shape of the layer's input $H$; the layer maps $d_{\\ell-1}$ features to $d_\\ell$.",
        ),
        Wrong(
            [d_out, d_in],
            "That is the shape of $W^{(\\ell)}$ itself, not of the batch of pre-activations.",
        ),
    ]
    return Vector(
        prompt=(
            f"A batch $H^{{(\\ell-1)}}$ of shape $({n}, {d_in})$ enters a dense layer whose weight "
            f"matrix $W^{{(\\ell)}}$ has shape $({d_out}, {d_in})$. What is the shape of "
            "$Z^{(\\ell)} = H^{(\\ell-1)} W^{(\\ell)\\top} + \\mathbf{1}\\mathbf{b}^{(\\ell)\\top}$? (Two numbers: rows, columns.)"
        ),
        answer=answer,
        tolerance=0.0,
        abs_tolerance=0.1,
        wrong=wrong,
        explanation=f"$({n}, {d_in}) \\times ({d_in}, {d_out})$ gives $({n}, {d_out})$; the bias broadcasts over the rows.",
    )


def collapsed_layers(rng: np.random.Generator) -> Matrix:
    while True:
        w1 = rng.integers(-2, 3, size=(2, 2)).astype(float)
        w2 = rng.integers(-2, 3, size=(2, 2)).astype(float)
        if not np.allclose(w1 @ w2, w2 @ w1) and not np.allclose(w2 @ w1, w2 * w1):
            break
    answer = w2 @ w1
    wrong = [
        Wrong(
            (w1 @ w2).tolist(),
            "The order matters: $\\mathbf{x}$ meets $W^{(1)}$ first, so the product is $W^{(2)}W^{(1)}$, not $W^{(1)}W^{(2)}$.",
        ),
        Wrong(
            (w2 * w1).tolist(),
            "That is the entrywise product; composing linear maps multiplies the matrices.",
        ),
    ]
    return Matrix(
        prompt=(
            f"Two linear layers without activation, $W^{{(1)}} = {_matrix(w1)}$ then "
            f"$W^{{(2)}} = {_matrix(w2)}$ (no biases), collapse into one matrix $W$ with "
            "$W\\mathbf{x} = W^{(2)}(W^{(1)}\\mathbf{x})$. What is $W$? (Type the rows separated by a semicolon.)"
        ),
        answer=answer.tolist(),
        wrong=wrong,
        explanation=f"$W = W^{{(2)}}W^{{(1)}} = {_matrix(answer)}$: any depth of linear layers is one linear map.",
    )


def parameter_count(rng: np.random.Generator) -> Number:
    widths = [int(v) for v in rng.choice([2, 3, 4, 5, 8, 10, 16], size=4)]
    weights = sum(widths[i + 1] * widths[i] for i in range(3))
    biases = sum(widths[1:])
    answer = weights + biases
    wrong = [
        Wrong(
            weights, "You counted the weights only: every layer also has one bias per output unit."
        ),
        Wrong(
            weights + sum(widths),
            "The input has no bias: count $d_1 + d_2 + d_3$ biases, not $d_0$ as well.",
        ),
        Wrong(
            float(np.prod(widths)),
            "The widths do not multiply through the network: each layer has $d_\\ell \\cdot d_{\\ell-1}$ weights.",
        ),
    ]
    return Number(
        prompt=(
            f"A dense network has widths $d_0, d_1, d_2, d_3 = {widths[0]}, {widths[1]}, {widths[2]}, {widths[3]}$. "
            "How many parameters (weights and biases) does it have?"
        ),
        answer=answer,
        tolerance=0.0,
        abs_tolerance=0.1,
        wrong=wrong,
        explanation=(
            f"$\\sum_\\ell d_\\ell(d_{{\\ell-1}} + 1) = {weights} + {biases} = {answer}$."
        ),
    )


def questions():
    return {
        "forward-by-hand": forward_by_hand,
        "batch-shape": batch_shape,
        "collapsed-layers": collapsed_layers,
        "parameter-count": parameter_count,
    }
