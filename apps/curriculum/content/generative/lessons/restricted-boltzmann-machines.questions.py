"""Concept checks of the lesson: hidden probabilities given a visible vector, a free energy by
hand, and which gradient term needs the model's samples."""

import numpy as np

from apps.sandbox.grading.questions import Choice, Number, Vector, Wrong, distinct_wrongs


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _rbm(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A 2-visible, 2-hidden RBM with small integer weights whose W is not symmetric, and a
    visible vector that is not all zeros."""
    while True:
        W = rng.integers(-2, 3, size=(2, 2)).astype(float)
        if W[0, 1] != W[1, 0]:
            break
    b = rng.integers(-1, 2, size=2).astype(float)
    c = rng.integers(-1, 2, size=2).astype(float)
    v = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])[int(rng.integers(3))]
    return W, b, c, v


def _tex(M: np.ndarray) -> str:
    rows = " \\\\ ".join(" & ".join(f"{x:g}" for x in row) for row in M)
    return f"\\begin{{pmatrix}} {rows} \\end{{pmatrix}}"


def _vec(x: np.ndarray) -> str:
    return "(" + ", ".join(f"{v:g}" for v in x) + ")"


def hidden_probabilities(rng: np.random.Generator) -> Vector:
    W, _, c, v = _rbm(rng)
    answer = _sigmoid(c + W.T @ v)
    wrong = [
        Wrong(
            _sigmoid(c + W @ v).tolist(),
            "That uses $W\\mathbf{v}$, the transposed product: hidden unit $j$ collects column $j$ of $W$, $(W^\\top\\mathbf{v})_j = \\sum_i v_i W_{ij}$.",
        ),
        Wrong(
            _sigmoid(W.T @ v).tolist(),
            "The hidden bias $\\mathbf{c}$ is missing from the input $c_j + (W^\\top\\mathbf{v})_j$.",
        ),
        Wrong(
            (c + W.T @ v).tolist(),
            "That is the input $x_j$; the probability is its sigmoid $\\sigma(x_j)$.",
        ),
    ]
    return Vector(
        prompt=(
            f"An RBM with two visible and two hidden units has weights $W = {_tex(W)}$ (row $i$ for "
            f"visible unit $i$, column $j$ for hidden unit $j$) and hidden biases "
            f"$\\mathbf{{c}} = {_vec(c)}$. Given $\\mathbf{{v}} = {_vec(v)}$, what are "
            "$p(h_1 = 1 \\mid \\mathbf{v})$ and $p(h_2 = 1 \\mid \\mathbf{v})$, to three decimals?"
        ),
        answer=answer.tolist(),
        tolerance=5e-3,
        abs_tolerance=1e-3,
        wrong=distinct_wrongs(answer, wrong, tolerance=0.015, abs_tolerance=0.003),
        explanation=(
            f"The inputs are $\\mathbf{{c}} + W^\\top\\mathbf{{v}} = {_vec(c + W.T @ v)}$ and their "
            f"sigmoids $({', '.join(f'{p:.3f}' for p in answer)})$."
        ),
    )


def free_energy(rng: np.random.Generator) -> Number:
    W, b, c, v = _rbm(rng)
    x = c + W.T @ v
    softplus = np.log1p(np.exp(x))
    answer = float(-b @ v - softplus.sum())
    wrong = [
        Wrong(
            -answer,
            "Mind the sign: $F(\\mathbf{v}) = -\\mathbf{b}^\\top\\mathbf{v} - \\sum_j \\log(1 + e^{x_j})$.",
        ),
        Wrong(
            float(-softplus.sum()), "The visible term $-\\mathbf{b}^\\top\\mathbf{v}$ is missing."
        ),
        Wrong(
            float(-b @ v - x.sum()),
            "That sums $\\log e^{x_j} = x_j$: summing $h_j$ over $\\{0, 1\\}$ gives $\\log(1 + e^{x_j})$, with the $1$ from $h_j = 0$.",
        ),
        Wrong(
            float(-b @ v - np.log1p(np.exp(c + W @ v)).sum()),
            "That uses $W\\mathbf{v}$, the transposed product: the input to hidden unit $j$ is $c_j + (W^\\top\\mathbf{v})_j$.",
        ),
    ]
    return Number(
        prompt=(
            f"The same kind of RBM: $W = {_tex(W)}$, visible biases $\\mathbf{{b}} = {_vec(b)}$, "
            f"hidden biases $\\mathbf{{c}} = {_vec(c)}$. What is the free energy $F(\\mathbf{{v}})$ "
            f"of $\\mathbf{{v}} = {_vec(v)}$, to three decimals?"
        ),
        answer=answer,
        tolerance=1e-3,
        abs_tolerance=2e-3,
        wrong=distinct_wrongs(answer, wrong, tolerance=0.01, abs_tolerance=0.003),
        explanation=(
            f"$x = \\mathbf{{c}} + W^\\top\\mathbf{{v}} = {_vec(x)}$, so "
            f"$F = -({b @ v:g}) - ({softplus[0]:.3f} + {softplus[1]:.3f}) = {answer:.3f}$."
        ),
    )


def model_term(rng: np.random.Generator) -> Choice:
    d, h = int(rng.choice([16, 20, 32])), int(rng.choice([8, 10, 16]))
    options = [
        f"The model term $\\langle v_i h_j\\rangle_{{\\text{{model}}}}$: it averages over all $2^{{{d + h}}}$ joint states under $p$, whose normaliser $Z$ is out of reach; CD-1 starts its chain at the data so that one Gibbs step already lands where the model's mass should be.",
        "The data term $\\langle v_i h_j\\rangle_{\\text{data}}$: it needs samples of $\\mathbf{h}$ for each data vector; CD-1 starts at the data to obtain them.",
        "Both terms equally; CD-1 starts at the data only because it saves memory.",
        "Neither: $\\log Z$ does not depend on the weights, so only the data term remains.",
    ]
    messages = {
        1: "Given $\\mathbf{v}$ the hidden units are independent with $p(h_j = 1 \\mid \\mathbf{v}) = \\sigma(x_j)$: the data term is exact and cheap, no chain needed.",
        2: "The data term is exact given the data; only the model term needs samples. Starting at the data is about where the chain begins, not memory.",
        3: "$Z$ sums $e^{-F}$ over all visible vectors and depends on every weight; its gradient is exactly the model average.",
    }
    order = rng.permutation(len(options))
    position = {int(old): new for new, old in enumerate(order)}
    return Choice(
        prompt=(
            f"An RBM with {d} visible and {h} hidden units is trained by maximum likelihood. Which "
            "term of the weight gradient needs samples from the model, and why does CD-1 start "
            "its Gibbs chain at a data vector?"
        ),
        options=[options[int(i)] for i in order],
        answer=position[0],
        wrong=[Wrong(position[old], message) for old, message in messages.items()],
        explanation=(
            "$\\partial \\log p / \\partial W_{ij} = \\langle v_i h_j\\rangle_{\\text{data}} - "
            "\\langle v_i h_j\\rangle_{\\text{model}}$; the second is an expectation under $p$. A "
            "chain started at the data needs few steps to give a useful (biased) estimate."
        ),
    )


def questions():
    return {
        "hidden-probabilities": hidden_probabilities,
        "free-energy": free_energy,
        "model-term": model_term,
    }
