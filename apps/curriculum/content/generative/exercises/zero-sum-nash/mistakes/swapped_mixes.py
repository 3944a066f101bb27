# diagnosis: swapped-mixes
import numpy as np


def exploitability(A, p, q):
    A, p, q = (np.asarray(v, dtype=float) for v in (A, p, q))
    return float((A @ q).max() - (p @ A).min())


def solve_2x2(A):
    A = np.asarray(A, dtype=float)
    maximin, minimax = A.min(axis=1).max(), A.max(axis=0).min()
    if np.isclose(maximin, minimax):
        i, j = int(A.min(axis=1).argmax()), int(A.max(axis=0).argmin())
        return np.eye(2)[i], np.eye(2)[j], float(A[i, j])
    (a, b), (c, d) = A
    s = a - b - c + d
    q1, p1 = (d - c) / s, (d - b) / s  # the two mixes swapped
    p, q = np.array([p1, 1 - p1]), np.array([q1, 1 - q1])
    return p, q, float(p @ A @ q)
