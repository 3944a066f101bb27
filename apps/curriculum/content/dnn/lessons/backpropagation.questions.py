"""Concept checks of the lesson: a weight gradient as a matrix product, the error at the
output, one step of the chain rule through tanh, and reading a gradient check's fingerprint."""

import numpy as np

from apps.sandbox.grading.questions import Choice, Matrix, Number, Vector, Wrong, distinct_wrongs


def _matrix(a: np.ndarray) -> str:
    rows = " \\\\ ".join(" & ".join(f"{v:g}" for v in row) for row in a)
    return f"\\begin{{pmatrix}} {rows} \\end{{pmatrix}}"


def weight_gradient(rng: np.random.Generator) -> Matrix:
    while True:
        g = rng.integers(-2, 3, size=(3, 2)).astype(float)
        h = rng.integers(-1, 3, size=(3, 2)).astype(float)
        answer = g.T @ h
        if not np.allclose(answer, answer.T):
            break
    wrong = [
        Wrong(
            (h.T @ g).tolist(),
            "That is $H^\\top G$, the transpose: $\\partial L/\\partial W_{kj} = \\sum_n G_{nk} H_{nj}$ puts the output unit $k$ in the row, as in $W$.",
        ),
        Wrong(
            (g.T @ h / 3).tolist(),
            "$G$ already carries the $1/N$ of the mean loss; dividing by $N$ again makes the gradient $N$ times too small.",
        ),
    ]
    return Matrix(
        prompt=(
            f"A layer with two inputs and two outputs sees a batch of $N = 3$ samples. Its input is "
            f"$H = {_matrix(h)}$ and the error at its pre-activations is $G = \\partial L/\\partial Z = {_matrix(g)}$. "
            "What is $\\partial L/\\partial W$? (Type the rows separated by a semicolon.)"
        ),
        answer=answer.tolist(),
        wrong=wrong,
        explanation=f"$\\partial L/\\partial W = G^\\top H = {_matrix(answer)}$, a sum over the samples of outer products.",
    )


def output_error(rng: np.random.Generator) -> Vector:
    n = 4
    y_hat = rng.integers(-3, 4, size=n).astype(float)
    y = rng.integers(-3, 4, size=n).astype(float)
    if np.array_equal(y, y_hat):
        y[0] += 2.0
    answer = (y_hat - y) / n
    wrong = [
        Wrong(
            (y_hat - y).tolist(),
            "The mean over $N = 4$ samples contributes a factor $1/N$: without it every gradient is $N$ times too large.",
        ),
        Wrong(
            ((y - y_hat) / n).tolist(),
            "Mind the sign: the derivative of $\\tfrac12(\\hat y - y)^2$ with respect to $\\hat y$ is $\\hat y - y$.",
        ),
        Wrong(
            (2 * (y_hat - y) / n).tolist(),
            "The $\\tfrac12$ in the loss cancels the 2 from the square.",
        ),
    ]
    return Vector(
        prompt=(
            f"A network with one output predicts $\\hat Y = ({', '.join(f'{v:g}' for v in y_hat)})$ for "
            f"$N = 4$ samples with targets $Y = ({', '.join(f'{v:g}' for v in y)})$, under the loss "
            "$L = \\frac{1}{N}\\sum_n \\tfrac12(\\hat y_n - y_n)^2$. What is $G^{(L)} = \\partial L/\\partial \\hat Y$? "
            "(Four numbers, separated by commas.)"
        ),
        answer=answer.tolist(),
        wrong=wrong,
        explanation=f"$G^{{(L)}} = (\\hat Y - Y)/N = ({', '.join(f'{v:g}' for v in answer)})$.",
    )


def chain_through_tanh(rng: np.random.Generator) -> Number:
    x = float(rng.choice([-1.0, 1.0, 2.0]))
    w1 = float(rng.choice([-0.5, 0.25, 0.5, 1.0]))
    w2 = float(rng.choice([-1.0, 1.5, 2.0]))
    y = float(rng.choice([0.0, 1.0]))
    z = w1 * x
    h = np.tanh(z)
    y_hat = w2 * h
    answer = (y_hat - y) * w2 * (1 - h**2) * x
    wrong = [
        Wrong(
            (y_hat - y) * w2 * x,
            "The derivative of the tanh, $1 - h^2$, is missing from the chain.",
        ),
        Wrong(
            (y_hat - y) * w2 * (1 - z**2) * x,
            "$\\tanh'(z) = 1 - \\tanh^2(z) = 1 - h^2$, not $1 - z^2$.",
        ),
        Wrong(
            (y - y_hat) * w2 * (1 - h**2) * x,
            "Mind the sign: $\\partial L/\\partial \\hat y = \\hat y - y$.",
        ),
        Wrong(
            (y_hat - y) * w2 * (1 - h**2),
            "That is $\\partial L/\\partial b_1$; the weight's gradient has one more factor, the input $x$.",
        ),
    ]
    return Number(
        prompt=(
            f"One sample, one tanh hidden unit: $h = \\tanh(w_1 x)$, $\\hat y = w_2 h$, $L = \\tfrac12(\\hat y - y)^2$, "
            f"with $x = {x:g}$, $w_1 = {w1:g}$, $w_2 = {w2:g}$ and $y = {y:g}$. "
            "What is $\\partial L/\\partial w_1$? (Three decimals.)"
        ),
        answer=answer,
        tolerance=2e-3,
        abs_tolerance=1e-3,
        wrong=distinct_wrongs(answer, wrong, tolerance=0.006, abs_tolerance=0.003),
        explanation=(
            f"$h = \\tanh({z:g}) \\approx {h:.4f}$, $\\hat y \\approx {y_hat:.4f}$; then "
            f"$(\\hat y - y)\\, w_2\\, (1 - h^2)\\, x \\approx {answer:.4f}$."
        ),
    )


FINGERPRINTS = [
    "every entry of every gradient is exactly {n} times the finite difference",
    "the last layer's gradients agree, every earlier layer's disagree",
    "a square weight matrix's gradient agrees only after transposing it",
]
CAUSES = [
    "the output error is not divided by the batch size (a sum instead of a mean)",
    "the activation's derivative is missing from the backward step",
    "the weight gradient is computed as $H^\\top G$ instead of $G^\\top H$",
    "the finite differences use too small a step $\\varepsilon$",
]


def gradient_check_fingerprint(rng: np.random.Generator) -> Choice:
    case = int(rng.integers(0, 3))
    n = int(rng.choice([8, 16, 32, 64]))
    messages = {
        0: f"Missing $1/N$ would scale *every* gradient by exactly $N = {n}$, not produce this pattern.",
        1: "A missing $\\phi'$ leaves the last layer right (nothing to differentiate there) and spoils the earlier ones, not this pattern.",
        2: "A transposed product shows up as a gradient that matches after $.T$, not as this pattern.",
        3: "With $\\varepsilon \\approx 10^{-6}$ a central difference is accurate to about $10^{-8}$ relative; a systematic pattern like this one is a bug in the backward pass.",
    }
    order = rng.permutation(4)
    position = {int(old): new for new, old in enumerate(order)}
    return Choice(
        prompt=(
            f"A gradient check on a network trained with batches of $N = {n}$ finds: "
            f"{FINGERPRINTS[case].format(n=n)}. What is the most likely bug?"
        ),
        options=[CAUSES[int(i)] for i in order],
        answer=position[case],
        wrong=[Wrong(position[k], m) for k, m in messages.items() if k != case],
        explanation=[
            "Every gradient starts from $G^{(L)}$, so a factor there scales them all alike.",
            "The last layer's gradient $G^{(L)\\top}H^{(L-1)}$ needs no $\\phi'$; every step further down does.",
            "$H^\\top G$ has the transposed shape, which goes unnoticed when the matrix is square.",
        ][case],
    )


def questions():
    return {
        "weight-gradient": weight_gradient,
        "output-error": output_error,
        "chain-through-tanh": chain_through_tanh,
        "gradient-check-fingerprint": gradient_check_fingerprint,
    }
