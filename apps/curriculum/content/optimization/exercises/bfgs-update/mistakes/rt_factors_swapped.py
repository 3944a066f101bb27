# mistake: the two factors around M are swapped, (I - rho y s^T) M (I - rho s y^T); then new @ y != s; I - rho s y^T stands on the left.
# diagnosis: factors-swapped
import numpy as np


def bfgs_update(M, s, y):
    M = np.array(M, dtype=np.float64)
    s = np.asarray(s, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    ys = float(y @ s)
    if ys <= 1e-10 * np.linalg.norm(s) * np.linalg.norm(y):
        return M
    rho = 1.0 / ys
    n = len(s)
    L = np.eye(n, dtype=np.float64) - rho * np.outer(s, y)
    return L.T @ M @ L + rho * np.outer(s, s)
