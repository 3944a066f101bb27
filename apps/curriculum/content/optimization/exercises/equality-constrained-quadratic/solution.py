import numpy as np


def solve_equality_qp(Q, c, A, b):
    """Minimiser and multipliers of 1/2 x^T Q x + c^T x subject to A x = b."""
    Q, c = np.asarray(Q, dtype=float), np.asarray(c, dtype=float)
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    n, m = Q.shape[0], A.shape[0]
    kkt = np.block([[Q, A.T], [A, np.zeros((m, m))]])
    solution = np.linalg.solve(kkt, np.concatenate([-c, b]))
    return solution[:n], solution[n:]
