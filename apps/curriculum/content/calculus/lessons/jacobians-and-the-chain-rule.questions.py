"""Concept checks of the lesson: the Jacobian of one's own ReLU layer, the weight gradient of a
layer from its backward signal, and the gradient of the logistic loss."""

import numpy as np

from apps.sandbox.grading.questions import Matrix, Number, Vector, Wrong, distinct_wrongs


def _tex(M: np.ndarray) -> str:
    rows = " \\\\ ".join(" & ".join(f"{v:g}" for v in row) for row in np.atleast_2d(M))
    return f"\\begin{{pmatrix}} {rows} \\end{{pmatrix}}"


def _vec(x: np.ndarray) -> str:
    return "(" + ", ".join(f"{v:g}" for v in x) + ")"


def relu_layer_jacobian(rng: np.random.Generator) -> Matrix:
    while True:
        W = rng.integers(-3, 4, size=(2, 2)).astype(float)
        x = rng.integers(-2, 3, size=2).astype(float)
        z = W @ x
        # One unit active and one off (no ties at 0), and W not symmetric so W^T shows.
        if (z > 0).sum() == 1 and (z < 0).sum() == 1 and not np.allclose(W, W.T) and np.all(W != 0):
            break
    slope = (z > 0).astype(float)
    answer = slope[:, None] * W
    candidates = [
        Wrong(
            W,
            "That is the Jacobian of the linear part alone: multiply each row by the slope of its ReLU, 0 for a unit that is off.",
        ),
        Wrong(
            W * slope[None, :],
            "The slopes scale the rows of $W$ (the diagonal matrix stands on the left, $\\mathrm{diag}(\\phi'(\\mathbf{z}))\\,W$), not its columns.",
        ),
        Wrong(
            slope[:, None] * W.T,
            "Entry $(i, j)$ is $\\partial h_i/\\partial x_j$: that is $W_{ij}$ times the slope of unit $i$, not $W_{ji}$.",
        ),
        Wrong(
            np.diag(slope),
            "That is the Jacobian of the ReLU alone; the chain rule multiplies it by the Jacobian $W$ of the linear part.",
        ),
    ]
    return Matrix(
        prompt=(
            f"A ReLU layer $\\mathbf{{h}} = \\mathrm{{ReLU}}(W\\mathbf{{x}})$ has $W = {_tex(W)}$. "
            f"What is its Jacobian $J_{{\\mathbf{{h}}}}(\\mathbf{{x}})$ at $\\mathbf{{x}} = {_vec(x)}$?"
        ),
        answer=answer.tolist(),
        abs_tolerance=1e-3,
        wrong=candidates,
        explanation=(
            f"$\\mathbf{{z}} = W\\mathbf{{x}} = {_vec(z)}$, so the slopes are ${_vec(slope)}$ and "
            f"$J = \\mathrm{{diag}}{_vec(slope)}\\,W = {_tex(answer)}$."
        ),
    )


def weight_gradient(rng: np.random.Generator) -> Matrix:
    while True:  # square, so a transposed answer has the right shape and gets its message
        g = rng.choice([-2, -1, 1, 2, 3], size=2).astype(float)
        x = rng.choice([-2, -1, 1, 2, 3], size=2).astype(float)
        if g[0] * x[1] != g[1] * x[0]:
            break
    answer = np.outer(g, x)
    candidates = [
        Wrong(
            np.outer(x, g),
            "That is $\\mathbf{x}\\mathbf{g}^\\top$, the transpose; entry $(i, j)$ of $\\nabla_W L$ is $g_i x_j$, row $i$ belonging to output $i$.",
        ),
        Wrong(
            np.outer(g, x) * -1,
            "Mind the sign: $\\partial z_i/\\partial W_{ij} = x_j$, so the entry is $+g_i x_j$.",
        ),
    ]
    return Matrix(
        prompt=(
            f"A layer $\\mathbf{{z}} = W\\mathbf{{x}} + \\mathbf{{b}}$ maps $\\mathbb{{R}}^2$ to $\\mathbb{{R}}^2$. "
            f"Backpropagation brings $\\mathbf{{g}} = \\nabla_{{\\mathbf{{z}}}}L = {_vec(g)}$, and the "
            f"layer's input was $\\mathbf{{x}} = {_vec(x)}$. What is $\\nabla_W L$? (Type it by rows.)"
        ),
        answer=answer.tolist(),
        abs_tolerance=1e-3,
        wrong=candidates,
        explanation=f"$\\nabla_W L = \\mathbf{{g}}\\mathbf{{x}}^\\top = {_tex(answer)}$: entry $(i, j)$ is $g_i x_j$.",
    )


def logistic_gradient(rng: np.random.Generator) -> Vector:
    while True:
        x = rng.choice([-2, -1, 1, 2], size=2).astype(float)
        w = rng.choice([-1.0, -0.5, 0.5, 1.0], size=2)
        z = float(x @ w)
        if z != 0:
            break
    y = int(rng.integers(0, 2))
    sigma = 1 / (1 + np.exp(-z))
    answer = (sigma - y) * x
    candidates = [
        Wrong(
            (y - sigma) * x, "Mind the sign: $\\ell'(z) = \\sigma(z) - y$, prediction minus label."
        ),
        Wrong(
            (z - y) * x,
            "The derivative of $\\log(1 + e^z) - yz$ is $\\sigma(z) - y$: pass the score through the sigmoid.",
        ),
        Wrong(
            np.full(2, sigma - y),
            "That is $\\ell'(z)$ alone; the chain rule through $z = \\mathbf{x}^\\top\\mathbf{w}$ multiplies it by $\\mathbf{x}$.",
        ),
        Wrong(
            (sigma * (1 - sigma) - y) * x,
            "The slope of the loss is $\\sigma(z) - y$; $\\sigma(1 - \\sigma)$ is the slope of the sigmoid itself.",
        ),
    ]
    return Vector(
        prompt=(
            f"Logistic regression with $\\mathbf{{w}} = {_vec(w)}$ sees the sample "
            f"$\\mathbf{{x}} = {_vec(x)}$ with label $y = {y}$. What is the gradient "
            "$\\nabla_{\\mathbf{w}}\\ell$ of its loss? (Three decimals.)"
        ),
        answer=answer.tolist(),
        tolerance=2e-3,
        abs_tolerance=2e-3,
        wrong=distinct_wrongs(answer, candidates, tolerance=0.005, abs_tolerance=0.005),
        explanation=(
            f"$z = \\mathbf{{x}}^\\top\\mathbf{{w}} = {z:g}$, $\\sigma(z) \\approx {sigma:.4f}$, and "
            f"$\\nabla_{{\\mathbf{{w}}}}\\ell = (\\sigma(z) - y)\\,\\mathbf{{x}} \\approx {_vec(np.round(answer, 4))}$."
        ),
    )


def cheap_order(rng: np.random.Generator) -> Number:
    n = int(rng.choice([100, 200, 500, 1000]))
    layers = int(rng.choice([3, 4, 5]))
    # A row vector times an n x n matrix costs n^2 multiplications; n x n times n x n costs n^3.
    backward = layers * n * n
    forward = (layers - 1) * n**3 + n * n
    answer = forward / backward
    candidates = [
        Wrong(
            float(n),
            "Close, but count both ends: the right-to-left order also ends with one row times a matrix.",
        ),
        Wrong(
            backward / forward,
            "That is the inverse: the left-to-right (backpropagation) order is the cheap one.",
        ),
    ]
    return Number(
        prompt=(
            f"A loss sits on top of {layers} layers, each with an $n \\times n$ Jacobian, "
            f"$n = {n}$, so $\\nabla L^\\top = J_L J_{layers} \\cdots J_1$ with $J_L$ a $1\\times n$ row. "
            "Counting a $(p\\times q)(q \\times r)$ product as $pqr$ multiplications, how many times "
            "more does the right-to-left order (from $J_1$) cost than the left-to-right order? "
            "(Three significant digits.)"
        ),
        answer=answer,
        tolerance=2e-3,
        wrong=candidates,
        explanation=(
            f"Left to right: {layers} row-times-matrix products, ${layers}n^2$. Right to left: "
            f"${layers - 1}$ matrix products, ${layers - 1}n^3$, then the row, $n^2$. "
            f"The ratio is $({layers - 1}n + 1)/{layers} \\approx {answer:.4g}$."
        ),
    )


def questions():
    return {
        "relu-layer-jacobian": relu_layer_jacobian,
        "weight-gradient": weight_gradient,
        "logistic-gradient": logistic_gradient,
        "cheap-order": cheap_order,
    }
