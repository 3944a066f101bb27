import numpy as np


def exploitability(A, p, q):
    """max_i (A q)_i - min_j (p^T A)_j."""
    A, p, q = (np.asarray(v, dtype=float) for v in (A, p, q))
    return float((A @ q).max() - (p @ A).min())


def solve_2x2(A):
    """A Nash equilibrium (p, q, value) of the 2x2 zero-sum game with payoff A to the row player."""
    A = np.asarray(A, dtype=float)
    maximin = A.min(axis=1).max()
    minimax = A.max(axis=0).min()
    if np.isclose(maximin, minimax, rtol=0.0, atol=1e-12):
        i = int(A.min(axis=1).argmax())
        j = int(A.max(axis=0).argmin())
        p, q = np.eye(2)[i], np.eye(2)[j]
        return p, q, float(A[i, j])
    (a, b), (c, d) = A
    s = a - b - c + d
    p1 = (d - c) / s
    q1 = (d - b) / s
    p = np.array([p1, 1.0 - p1])
    q = np.array([q1, 1.0 - q1])
    return p, q, float((a * d - b * c) / s)
