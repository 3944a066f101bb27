# mistake: numerical_hessian writes xp = x and xm = x without copying, so both names alias one array and grad is evaluated at x + eps e_j and then back at x, giving half a forward difference; build x + e and x - e as new arrays
# diagnosis: aliased-steps
import numpy as np


def numerical_hessian(grad, x, eps=1e-5):
    x = np.array(x, dtype=float)
    n = x.size
    H = np.zeros((n, n))
    for j in range(n):
        xp = x
        xp[j] += eps
        gp = np.array(grad(xp))
        xm = x
        xm[j] -= eps
        gm = np.array(grad(xm))
        H[:, j] = (gp - gm) / (2 * eps)
    return (H + H.T) / 2


def classify_critical_point(H, tol=1e-6):
    lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    if np.any(lam > tol) and np.any(lam < -tol):
        return "saddle"
    if np.all(lam > tol):
        return "minimum"
    if np.all(lam < -tol):
        return "maximum"
    return "degenerate"
