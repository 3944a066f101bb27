"""Concept checks of the lesson: the fixed point of one's own linear RNN, the kind of fixed point
read off the eigenvalues, and how long a contracting network remembers."""

import numpy as np

from apps.sandbox.grading.questions import Choice, Number, Vector, Wrong

# Integer matrices of determinant 1, so that I - W has an integer inverse.
_UNIMODULAR = [
    np.array([[1, 1], [0, 1]]),
    np.array([[2, 1], [1, 1]]),
    np.array([[1, 2], [1, 3]]),
    np.array([[2, 3], [1, 2]]),
    np.array([[1, 0], [2, 1]]),
    np.array([[3, 2], [1, 1]]),
]


def _tex(M: np.ndarray) -> str:
    rows = " \\\\ ".join(" & ".join(f"{v:g}" for v in row) for row in M)
    return f"\\begin{{pmatrix}} {rows} \\end{{pmatrix}}"


def fixed_point(rng: np.random.Generator) -> Vector:
    M = _UNIMODULAR[int(rng.integers(len(_UNIMODULAR)))]
    if rng.random() < 0.5:
        M = M.T
    W = np.eye(2) - M  # so that I - W = M
    b = rng.integers(-3, 4, size=2)
    while not np.any(b):
        b = rng.integers(-3, 4, size=2)
    answer = np.linalg.solve(M, b)
    candidates = [
        (
            np.linalg.solve(M.T, b),
            "You solved $(I - W)^\\top \\mathbf{h} = \\mathbf{b}$: keep $W$ as it is, row $i$ of $(I - W)\\mathbf{h}^*$ is the $i$-th equation.",
        ),
        (
            np.linalg.solve(np.eye(2) + W, b),
            "That solves $(I + W)\\mathbf{h} = \\mathbf{b}$: moving $W\\mathbf{h}^*$ to the left of $\\mathbf{h}^* = W\\mathbf{h}^* + \\mathbf{b}$ gives $I - W$.",
        ),
        (
            W @ b + b,
            "That is one step of the network from $\\mathbf{h} = \\mathbf{b}$, not the state the network stays at.",
        ),
    ]
    wrong = []
    for value, message in candidates:
        if not np.allclose(value, answer) and all(not np.allclose(value, w.value) for w in wrong):
            wrong.append(Wrong(value.tolist(), message))
    return Vector(
        prompt=(
            f"The linear RNN $\\mathbf{{h}}_t = W\\mathbf{{h}}_{{t-1}} + \\mathbf{{b}}$ has "
            f"$W = {_tex(W)}$ and $\\mathbf{{b}} = ({int(b[0])}, {int(b[1])})$. What is its fixed "
            "point $\\mathbf{h}^*$? (Two numbers: $h^*_1, h^*_2$.)"
        ),
        answer=answer.tolist(),
        wrong=wrong,
        explanation=(
            f"$\\mathbf{{h}}^* = W\\mathbf{{h}}^* + \\mathbf{{b}}$ means $(I - W)\\mathbf{{h}}^* = \\mathbf{{b}}$ "
            f"with $I - W = {_tex(M)}$, of determinant 1: invert it and apply it to $\\mathbf{{b}}$."
        ),
    )


# (a, c): eigenvalues a ± ci; several have |a| < 1 but modulus > 1.
_ROTATIONS = [
    (0.5, 0.6),
    (0.6, 0.5),
    (0.8, 0.9),
    (0.7, 0.8),
    (0.9, 0.6),
    (0.3, 0.4),
    (-0.6, 1.0),
    (0.4, -0.5),
]


def kind_of_fixed_point(rng: np.random.Generator) -> Choice:
    a, c = _ROTATIONS[int(rng.integers(len(_ROTATIONS)))]
    modulus = float(np.hypot(a, c))
    options = [
        "a stable spiral: trajectories rotate and move in",
        "an unstable spiral: trajectories rotate and move out",
        "a stable node: trajectories move in without rotating",
        "a saddle: attracting along one direction, repelling along another",
    ]
    correct = 0 if modulus < 1 else 1
    other = 1 - correct
    messages = {
        other: (
            f"The eigenvalues are ${a:g} \\pm {abs(c):g}i$ with modulus $\\sqrt{{{a:g}^2 + {c:g}^2}} \\approx {modulus:.3f}$: "
            "compare the modulus with 1, not the diagonal entry alone."
        ),
        2: "The eigenvalues are complex, so the state rotates by their angle every step: a spiral, not a node.",
        3: "A saddle needs one eigenvalue inside the unit circle and one outside; a complex pair has both on the same circle.",
    }
    order = rng.permutation(len(options))
    position = {int(old): new for new, old in enumerate(order)}
    W = np.array([[a, -c], [c, a]])
    return Choice(
        prompt=(
            f"The linear RNN $\\mathbf{{h}}_t = W\\mathbf{{h}}_{{t-1}} + \\mathbf{{b}}$ has "
            f"$W = {_tex(W)}$. What kind of fixed point is $\\mathbf{{h}}^*$?"
        ),
        options=[options[int(i)] for i in order],
        answer=position[correct],
        wrong=[Wrong(position[old], message) for old, message in messages.items()],
        explanation=(
            f"$(a - \\lambda)^2 + c^2 = 0$ gives $\\lambda = {a:g} \\pm {abs(c):g}i$, of modulus "
            f"$\\approx {modulus:.3f}$ {'< 1' if modulus < 1 else '> 1'}: a spiral that runs "
            f"{'inward' if modulus < 1 else 'outward'}."
        ),
    )


def memory_half_life(rng: np.random.Generator) -> Number:
    rho = float(rng.choice([0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]))
    answer = np.log(0.5) / np.log(rho)
    return Number(
        prompt=(
            f"The Jacobians of a network at its fixed point have spectral radius $\\rho = {rho:g}$. "
            "After how many steps has the slowest component of a small perturbation shrunk to half "
            "its size? (A real number, to two decimals.)"
        ),
        answer=answer,
        tolerance=2e-3,
        wrong=[
            Wrong(
                1 / (1 - rho),
                "That is $1/(1 - \\rho)$, a rough time scale of the decay; the halving time solves $\\rho^t = 1/2$.",
            ),
            Wrong(
                0.5 / (1 - rho),
                "A perturbation shrinks by a factor $\\rho$ each step, not by a fixed amount $1 - \\rho$: solve $\\rho^t = 1/2$.",
            ),
            Wrong(
                np.log(rho) / np.log(0.5),
                "The ratio is upside down: $t = \\log(1/2) / \\log \\rho$.",
            ),
        ],
        explanation=f"$\\rho^t = 1/2$ gives $t = \\log 0.5 / \\log {rho:g} \\approx {answer:.2f}$ steps.",
    )


def questions():
    return {
        "fixed-point": fixed_point,
        "kind-of-fixed-point": kind_of_fixed_point,
        "memory-half-life": memory_half_life,
    }
