"""Concept checks of the lesson: the singular values of one's own matrix, the Eckart-Young error
of a truncation, and what a rank-k factorisation costs to store."""

import numpy as np

from apps.sandbox.grading.questions import Number, Vector, Wrong, distinct_wrongs


def _tex(M: np.ndarray) -> str:
    rows = " \\\\ ".join(" & ".join(f"{v:g}" for v in row) for row in M)
    return f"\\begin{{pmatrix}} {rows} \\end{{pmatrix}}"


def singular_values(rng: np.random.Generator) -> Vector:
    while True:
        M = rng.integers(-3, 5, size=(2, 2)).astype(float)
        s = np.linalg.svd(M, compute_uv=False)
        if np.count_nonzero(M) >= 3 and s[1] > 0.2 and not np.allclose(M, M.T):
            break
    gram = M.T @ M
    candidates = [
        Wrong(
            s**2,
            "Those are the eigenvalues of $M^\\top M$, the squared singular values: take their square roots.",
        ),
        Wrong(
            np.sort(np.abs(np.diag(M)))[::-1],
            "Those are the diagonal entries; the singular values come from $M^\\top M$, not from the diagonal.",
        ),
    ]
    eig = np.linalg.eigvals(M)
    if np.all(np.abs(eig.imag) < 1e-12):
        candidates.append(
            Wrong(
                np.sort(np.abs(eig.real))[::-1],
                "Those are the moduli of the eigenvalues of $M$; for a matrix that is not symmetric the singular values differ: use $M^\\top M$.",
            )
        )
    return Vector(
        prompt=(
            f"What are the singular values $s_1 \\ge s_2$ of $M = {_tex(M)}$? "
            "Give both, largest first, to three decimals."
        ),
        answer=s.tolist(),
        tolerance=2e-3,
        abs_tolerance=2e-3,
        wrong=candidates,
        explanation=(
            f"$M^\\top M = {_tex(gram)}$ has eigenvalues ${s[0] ** 2:.3f}$ and ${s[1] ** 2:.3f}$; "
            f"their square roots are ${s[0]:.3f}$ and ${s[1]:.3f}$."
        ),
    )


def truncation_error(rng: np.random.Generator) -> Number:
    s = np.sort(rng.choice(np.arange(1, 13), size=5, replace=False))[::-1].astype(float)
    k = int(rng.integers(1, 4))
    tail = s[k:]
    answer = float(np.sqrt((tail**2).sum()))
    candidates = [
        Wrong(
            s[k],
            f"That is $s_{{{k + 1}}}$, the error in the spectral norm; in the Frobenius norm every discarded singular value counts.",
        ),
        Wrong(
            (tail**2).sum(),
            "That is the squared error $\\|M - M_k\\|_F^2$: take the square root.",
        ),
        Wrong(
            tail.sum(),
            "The discarded singular values add in squares, like the sides of a right triangle: $(\\sum_{i > k} s_i^2)^{1/2}$.",
        ),
        Wrong(
            float(np.sqrt((s[k + 1 :] ** 2).sum())),
            f"Off by one: $M_k$ keeps $s_1$ to $s_{{{k}}}$, so the error starts at $s_{{{k + 1}}}$.",
        ),
        Wrong(
            float(np.sqrt((s[:k] ** 2).sum())),
            "That is the norm of what $M_k$ keeps; the error is made of what it discards.",
        ),
    ]
    listed = ", ".join(f"{v:g}" for v in s)
    return Number(
        prompt=(
            f"A $5\\times 5$ matrix $M$ has singular values ${listed}$. What is the Frobenius error "
            f"$\\|M - M_{k}\\|_F$ of its best rank-{k} approximation? (Three decimals.)"
        ),
        answer=answer,
        wrong=distinct_wrongs(answer, candidates, tolerance=0.005, abs_tolerance=0.005),
        explanation=(
            f"By Eckart–Young the error is made of the discarded values: "
            f"$\\sqrt{{{' + '.join(f'{v:g}^2' for v in tail)}}} \\approx {answer:.3f}$."
        ),
    )


def storage(rng: np.random.Generator) -> Number:
    m = int(rng.choice([64, 100, 128, 200, 256, 300]))
    n = int(rng.choice([50, 80, 120, 150, 240, 400]))
    k = int(rng.choice([2, 4, 5, 8, 10, 16]))
    answer = k * (m + n + 1)
    candidates = [
        Wrong(k * (m + n), "The $k$ singular values need storing too: $k(m + n + 1)$."),
        Wrong(
            m * n, "That is the full matrix; the factored form stores $U_k$, $\\Sigma_k$ and $V_k$."
        ),
        Wrong(
            k * m * n,
            "That would be $k$ full matrices; each rank-one term needs only $m + n + 1$ numbers.",
        ),
        Wrong(
            k * (m + n + k), "$\\Sigma_k$ is diagonal: only its $k$ diagonal entries need storing."
        ),
    ]
    return Number(
        prompt=(
            f"How many numbers does it take to store the rank-{k} truncation $U_k\\Sigma_kV_k^\\top$ "
            f"of a ${m}\\times {n}$ matrix in factored form (the $k$ columns of $U$ and of $V$ and "
            "the $k$ singular values)?"
        ),
        answer=answer,
        abs_tolerance=0.5,
        tolerance=1e-9,
        wrong=distinct_wrongs(answer, candidates, tolerance=0.005, abs_tolerance=0.005),
        explanation=f"$k(m + n + 1) = {k}\\cdot({m} + {n} + 1) = {answer}$, against ${m * n}$ for the full matrix.",
    )


def questions():
    return {
        "singular-values-by-hand": singular_values,
        "truncation-error": truncation_error,
        "factored-storage": storage,
    }
