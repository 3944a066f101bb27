"""Concept checks of the lesson: the eigenvalues of one's own symmetric matrix, how fast power
iteration closes in, and a bowl told from a saddle by the symmetric part."""

import math

import numpy as np

from apps.sandbox.grading.questions import Choice, Number, Vector, Wrong


def _tex(M: np.ndarray) -> str:
    rows = " \\\\ ".join(" & ".join(f"{v:g}" for v in row) for row in M)
    return f"\\begin{{pmatrix}} {rows} \\end{{pmatrix}}"


def _symmetric_with_integer_eigenvalues(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """[[a, b], [b, d]] with b != 0 and (a - d)^2 + 4b^2 a perfect square."""
    while True:
        a, d = (int(v) for v in rng.integers(-4, 6, size=2))
        b = int(rng.choice([-4, -3, -2, -1, 1, 2, 3, 4]))
        disc = (a - d) ** 2 + 4 * b * b
        root = math.isqrt(disc)
        if root * root == disc and (a + d + root) % 2 == 0:
            lam = np.array([(a + d - root) / 2, (a + d + root) / 2])
            return np.array([[a, b], [b, d]], dtype=float), lam


def eigenvalues_by_hand(rng: np.random.Generator) -> Vector:
    A, lam = _symmetric_with_integer_eigenvalues(rng)
    trace, det = A[0, 0] + A[1, 1], A[0, 0] * A[1, 1] - A[0, 1] ** 2
    wrong = [
        Wrong(
            np.diag(A),
            "Those are the diagonal entries: they are the eigenvalues only when the off-diagonal entries vanish. Solve $\\det(A - \\lambda I) = 0$.",
        ),
        Wrong(
            [A[0, 0] + A[0, 1], A[1, 1] - A[1, 0]],
            "Row sums and differences give the eigenvalues of $\\begin{pmatrix} p & q \\\\ q & p\\end{pmatrix}$ only, where the diagonal entries are equal.",
        ),
        Wrong(
            -lam,
            "Mind the signs: the characteristic polynomial is $\\lambda^2 - (\\mathrm{tr}\\,A)\\lambda + \\det A$.",
        ),
    ]
    return Vector(
        prompt=(
            f"What are the eigenvalues of the symmetric matrix $A = {_tex(A)}$? "
            "(Two numbers, in any order.)"
        ),
        answer=lam.tolist(),
        ordered=False,
        abs_tolerance=1e-3,
        wrong=wrong,
        explanation=(
            f"$\\det(A - \\lambda I) = \\lambda^2 - {trace:g}\\lambda + ({det:g}) = 0$ gives "
            f"$\\lambda = {lam[0]:g}$ and $\\lambda = {lam[1]:g}$."
        ),
    )


def power_iteration_rate(rng: np.random.Generator) -> Number:
    l1 = int(rng.choice([4, 5, 6, 8, 10]))
    l2 = int(rng.choice([v for v in (-3, -2, 2, 3) if abs(v) < l1]))
    l3 = int(rng.choice([0, 1, -1]))
    ratio = abs(l2) / l1
    candidates = [
        Wrong(
            ratio**2,
            "That is how fast the Rayleigh quotient (the eigenvalue estimate) converges for a symmetric matrix; the vector itself converges at the first power.",
        ),
        Wrong(
            l1 / abs(l2),
            "That is the inverse ratio; a factor above 1 would make the error grow. Divide the second largest by the largest.",
        ),
        Wrong(
            l2 / l1,
            "The error's size shrinks by the modulus of the ratio; a negative $\\lambda_2$ only flips the sign of that component.",
        ),
    ]
    if l3 != 0:
        candidates.append(
            Wrong(
                abs(l3) / l1,
                "The smallest eigenvalue's component dies fastest; the slowest to vanish, which sets the pace, belongs to the second largest.",
            )
        )
    wrong = candidates
    spectrum = ", ".join(str(v) for v in sorted({l1, l2, l3}, key=abs, reverse=True))
    return Number(
        prompt=(
            f"A symmetric matrix has eigenvalues ${spectrum}$. Once the start has a component "
            "along the top eigenvector, by what factor does power iteration shrink the "
            "distance of its iterate to that eigenvector per step (asymptotically)?"
        ),
        answer=ratio,
        tolerance=2e-3,
        wrong=wrong,
        explanation=(
            f"The slowest component to vanish is the second largest: it shrinks by "
            f"$|\\lambda_2/\\lambda_1| = {abs(l2)}/{l1} \\approx {ratio:.3f}$ per step."
        ),
    )


_KINDS = [
    "positive definite (a bowl)",
    "positive semidefinite but not definite (a trough)",
    "indefinite (a saddle)",
    "negative definite (an upside-down bowl)",
]


def bowl_or_saddle(rng: np.random.Generator) -> Choice:
    # Draw the symmetric part S first, then hide it in a non-symmetric A with the same form.
    kind = int(rng.integers(0, 3))
    while True:
        S, lam = _symmetric_with_integer_eigenvalues(rng)
        if S[0, 0] > 0 and S[1, 1] > 0:
            signs = (lam > 0).sum(), (lam == 0).sum()
            found = 0 if signs == (2, 0) else 1 if signs == (1, 1) else 2 if lam.min() < 0 else -1
            if found == kind:
                break
    skew = int(rng.choice([-3, -2, 2, 3]))
    A = S + np.array([[0, skew], [-skew, 0]])
    messages = {
        0: "The diagonal entries are positive, but that does not make a bowl: the off-diagonal terms can win. Look at the eigenvalues of $\\tfrac12(A + A^\\top)$.",
        1: "Semidefinite needs an eigenvalue exactly 0; look at $\\det\\tfrac12(A + A^\\top)$.",
        2: "A saddle needs eigenvalues of both signs; compute $\\det\\tfrac12(A + A^\\top)$: a negative determinant means mixed signs.",
        3: "Negative definite would need negative diagonal entries at least; these are positive.",
    }
    order = rng.permutation(len(_KINDS))
    position = {int(old): new for new, old in enumerate(order)}
    return Choice(
        prompt=(
            f"The quadratic form $q(\\mathbf{{x}}) = \\mathbf{{x}}^\\top A\\mathbf{{x}}$ with "
            f"$A = {_tex(A)}$ is:"
        ),
        options=[_KINDS[int(i)] for i in order],
        answer=position[kind],
        wrong=[Wrong(position[k], m) for k, m in messages.items() if k != kind],
        explanation=(
            f"Only the symmetric part matters: $S = \\tfrac12(A + A^\\top) = {_tex(S)}$, with "
            f"eigenvalues ${lam[0]:g}$ and ${lam[1]:g}$."
        ),
    )


def questions():
    return {
        "eigenvalues-by-hand": eigenvalues_by_hand,
        "power-iteration-rate": power_iteration_rate,
        "bowl-or-saddle": bowl_or_saddle,
    }
