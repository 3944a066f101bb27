# mistake: the curvature test skips when y.s <= 1e-10 (an absolute threshold) instead of 1e-10 |s| |y|, so tiny steps are wrongly skipped; scale the threshold with |s| |y|.
# diagnosis: absolute-threshold
import numpy as np


def bfgs_update(M, s, y):
    M = np.array(M, dtype=np.float64)
    s = np.asarray(s, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    ys = float(y @ s)
    if ys <= 1e-10:
        return M
    rho = 1.0 / ys
    n = len(s)
    L = np.eye(n, dtype=np.float64) - rho * np.outer(s, y)
    return L @ M @ L.T + rho * np.outer(s, s)
