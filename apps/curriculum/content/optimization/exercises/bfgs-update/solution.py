import numpy as np


def bfgs_update(M, s, y):
    """BFGS update of the inverse-Hessian approximation; M unchanged if y.s is not positive."""
    M = np.asarray(M, dtype=float)
    s = np.asarray(s, dtype=float)
    y = np.asarray(y, dtype=float)
    ys = float(y @ s)
    if ys <= 1e-10 * np.linalg.norm(s) * np.linalg.norm(y):
        return M.copy()
    rho = 1.0 / ys
    a = np.eye(s.size) - rho * np.outer(y, s)
    return a.T @ M @ a + rho * np.outer(s, s)
