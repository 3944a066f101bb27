# mistake: the update is applied even when y.s <= 0 (negative curvature: the result is not positive definite) or s = y = 0 (division by zero); return a copy of M when y.s <= 1e-10 |s||y|.
# diagnosis: no-curvature-skip
import numpy as np


def bfgs_update(M, s, y):
    M = np.array(M, dtype=np.float64)
    s = np.asarray(s, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    ys = float(y @ s)
    rho = 1.0 / ys
    n = len(s)
    L = np.eye(n, dtype=np.float64) - rho * np.outer(s, y)
    return L @ M @ L.T + rho * np.outer(s, s)
