# diagnosis: projected-unconstrained
import numpy as np


def solve_equality_qp(Q, c, A, b):
    # Minimise without the constraints, then project onto A x = b: feasible, but not optimal.
    x = np.linalg.solve(Q, -c)
    if A.shape[0]:
        x = x - A.T @ np.linalg.solve(A @ A.T, A @ x - b)
    lam = np.linalg.lstsq(A.T, -(Q @ x + c), rcond=None)[0] if A.shape[0] else np.zeros(0)
    return x, lam
