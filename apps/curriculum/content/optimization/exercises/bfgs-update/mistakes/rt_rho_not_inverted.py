# mistake: rho is set to y.s instead of 1 / (y.s); rho = 1 / (y @ s).
# diagnosis: rho-not-inverted
import numpy as np


def bfgs_update(M, s, y):
    M = np.array(M, dtype=np.float64)
    s = np.asarray(s, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    ys = float(y @ s)
    if ys <= 1e-10 * np.linalg.norm(s) * np.linalg.norm(y):
        return M
    rho = ys
    n = len(s)
    L = np.eye(n, dtype=np.float64) - rho * np.outer(s, y)
    return L @ M @ L.T + rho * np.outer(s, s)
