import numpy as np


def solve_equality_qp(Q, c, A, b):
    """Minimiser and multipliers of 1/2 x^T Q x + c^T x subject to A x = b."""
    Q, c = np.asarray(Q, dtype=float), np.asarray(c, dtype=float)
    A = np.asarray(A, dtype=float)
    # TODO: this ignores the constraints; build and solve the KKT system instead.
    x = np.linalg.solve(Q, -c)
    return x, np.zeros(A.shape[0])
