"""Concept checks of the lesson: the eigenvalues of one's own recurrent matrix, the largest
Lyapunov exponent of a linear RNN, and the Jacobian of a tanh RNN at rest."""

import numpy as np

from apps.sandbox.grading.questions import Matrix, Number, Vector, Wrong


def _matrix_with_eigenvalues(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """An integer 2 x 2 matrix with distinct integer eigenvalues and no zero entries."""
    while True:
        eigenvalues = rng.choice([-3, -2, -1, 1, 2, 3, 4], size=2, replace=False)
        m = int(rng.integers(1, 3))
        P = np.array([[1, 1], [m, m + 1]])  # determinant 1: an integer inverse
        P_inv = np.array([[m + 1, -1], [-m, 1]])
        W = P @ np.diag(eigenvalues) @ P_inv
        if np.all(W != 0):
            return W.astype(int), np.sort(eigenvalues).astype(float)


def _tex(W: np.ndarray) -> str:
    rows = " \\\\ ".join(" & ".join(str(int(v)) for v in row) for row in W)
    return f"\\begin{{pmatrix}} {rows} \\end{{pmatrix}}"


def eigenvalues_of_w(rng: np.random.Generator) -> Vector:
    W, eigenvalues = _matrix_with_eigenvalues(rng)
    trace, det = int(np.trace(W)), round(float(np.linalg.det(W)))
    wrong = []
    diagonal = np.sort(np.diag(W)).astype(float)
    if not np.allclose(diagonal, eigenvalues):
        wrong.append(
            Wrong(
                diagonal,
                "Those are the diagonal entries; a matrix that is not triangular has other eigenvalues. Solve $\\lambda^2 - (\\mathrm{tr}\\,W)\\lambda + \\det W = 0$.",
            )
        )
    return Vector(
        prompt=(
            f"A linear recurrent network $\\mathbf{{h}}_{{t+1}} = W\\mathbf{{h}}_t$ has "
            f"$W = {_tex(W)}$. What are the eigenvalues of $W$? (Two numbers, in any order.)"
        ),
        answer=eigenvalues.tolist(),
        ordered=False,
        wrong=wrong,
        explanation=(
            f"$\\mathrm{{tr}}\\,W = {trace}$ and $\\det W = {det}$, so "
            f"$\\lambda^2 - ({trace})\\lambda + ({det}) = 0$."
        ),
    )


def largest_exponent(rng: np.random.Generator) -> Number:
    W, eigenvalues = _matrix_with_eigenvalues(rng)
    largest = float(np.max(np.abs(eigenvalues)))
    smallest = float(np.min(np.abs(eigenvalues)))
    wrong = [Wrong(largest, "That is the growth factor per step; the exponent is its logarithm.")]
    if smallest != largest:
        wrong.append(
            Wrong(
                np.log(smallest),
                "That is the other exponent, $\\lambda_2$: the largest comes from the eigenvalue of largest modulus.",
            )
        )
    return Number(
        prompt=(
            f"For the linear network $\\mathbf{{h}}_{{t+1}} = W\\mathbf{{h}}_t$ with $W = {_tex(W)}$ "
            f"(eigenvalues ${int(eigenvalues[0])}$ and ${int(eigenvalues[1])}$), what is the "
            "largest Lyapunov exponent $\\lambda_1$, in nats per step?"
        ),
        answer=np.log(largest),
        tolerance=2e-3,
        wrong=wrong,
        explanation=(
            "For a constant Jacobian the exponents are the logarithms of the eigenvalue moduli: "
            f"$\\lambda_1 = \\log {largest:g} \\approx {np.log(largest):.3f}$."
        ),
    )


def jacobian_at_rest(rng: np.random.Generator) -> Matrix:
    W = rng.integers(-2, 3, size=(2, 2))
    while np.all(W == W.T) or np.any(W == 0):
        W = rng.integers(-2, 3, size=(2, 2))
    g = float(rng.choice([0.5, 1.5, 2.0, 2.5]))
    return Matrix(
        prompt=(
            f"For $\\mathbf{{h}}_{{t+1}} = \\tanh(g W \\mathbf{{h}}_t)$ with $g = {g:g}$ and "
            f"$W = {_tex(W)}$, what is the Jacobian $\\partial \\mathbf{{h}}_{{t+1}} / "
            "\\partial \\mathbf{h}_t$ at the silent state $\\mathbf{h}_t = \\mathbf{0}$?"
        ),
        answer=(g * W).tolist(),
        wrong=[
            Wrong(
                W.tolist(),
                "Keep the gain: the chain rule gives $\\mathrm{diag}(\\tanh'(0))\\, g W$.",
            ),
            Wrong(
                (g * W.T).tolist(),
                "That is the transpose: row $i$ of the Jacobian holds the derivatives of $h_{t+1,i}$.",
            ),
        ],
        explanation="$\\tanh'(0) = 1$, so the Jacobian is $\\mathrm{diag}(1 - \\mathbf{0}^2)\\, gW = gW$.",
    )


def questions():
    return {
        "eigenvalues-of-w": eigenvalues_of_w,
        "largest-exponent": largest_exponent,
        "jacobian-at-rest": jacobian_at_rest,
    }
