# mistake: the update applied is the BFGS update of the Hessian approximation B (B - B s s^T B / s^T B s + y y^T / y^T s), not of its inverse M, so new @ s = y instead of new @ y = s; use (I - rho s y^T) M (I - rho y s^T) + rho s s^T.
# diagnosis: hessian-update
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
    Ms = M @ s
    return M - np.outer(Ms, Ms) / (s @ Ms) + rho * np.outer(y, y)
