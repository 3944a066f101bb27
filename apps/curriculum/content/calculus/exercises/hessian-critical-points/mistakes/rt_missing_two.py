# mistake: numerical_hessian divides the central difference by eps instead of 2 * eps, so the Hessian is twice too large; divide by (2 * eps)
# diagnosis: divides-by-eps
import numpy as np


def numerical_hessian(grad, x, eps=1e-5):
    x = np.array(x, dtype=float)
    n = x.size
    cols = []
    for j in range(n):
        e = np.zeros(n)
        e[j] = eps
        cols.append((np.asarray(grad(x + e)) - np.asarray(grad(x - e))) / eps)
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
