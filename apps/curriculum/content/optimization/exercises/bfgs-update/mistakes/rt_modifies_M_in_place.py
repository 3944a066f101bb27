# mistake: the new matrix is written into the argument M in place (M[...] = ...), changing the caller's array; build and return a new array.
# diagnosis: modifies-m
import numpy as np


def bfgs_update(M, s, y):
    M = np.asarray(M, dtype=np.float64)
    s = np.asarray(s, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    ys = float(y @ s)
    if ys <= 1e-10 * np.linalg.norm(s) * np.linalg.norm(y):
        return M
    rho = 1.0 / ys
    n = len(s)
    L = np.eye(n, dtype=np.float64) - rho * np.outer(s, y)
    M[...] = L @ M @ L.T + rho * np.outer(s, s)
    return M
