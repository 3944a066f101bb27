# mistake: numerical_hessian uses the forward difference (grad(x + eps e_j) - grad(x)) / eps instead of the central (grad(x + eps e_j) - grad(x - eps e_j)) / (2 eps), so the error is O(eps) instead of O(eps^2)
# diagnosis: forward-difference
import numpy as np


def numerical_hessian(grad, x, eps=1e-5):
    x = np.array(x, dtype=float)
    n = x.size
    g0 = np.asarray(grad(x))
    cols = []
    for j in range(n):
        e = np.zeros(n)
        e[j] = eps
        cols.append((np.asarray(grad(x + e)) - g0) / eps)
    H = np.stack(cols, axis=1)
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
