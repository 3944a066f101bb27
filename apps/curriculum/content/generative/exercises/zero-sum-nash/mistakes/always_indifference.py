# diagnosis: always-indifference
import numpy as np


def exploitability(A, p, q):
    A, p, q = (np.asarray(v, dtype=float) for v in (A, p, q))
    return float((A @ q).max() - (p @ A).min())


def solve_2x2(A):
    (a, b), (c, d) = np.asarray(A, dtype=float)
    s = a - b - c + d
    p1, q1 = (d - c) / s, (d - b) / s  # never checks for a pure equilibrium
    return np.array([p1, 1 - p1]), np.array([q1, 1 - q1]), float((a * d - b * c) / s)
