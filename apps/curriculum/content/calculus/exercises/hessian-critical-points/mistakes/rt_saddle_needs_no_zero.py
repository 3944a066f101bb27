# mistake: classify_critical_point calls any Hessian with a zero eigenvalue degenerate before checking for mixed signs, so a saddle with a zero eigenvalue is called degenerate; positive and negative eigenvalues make a saddle whatever else is zero
# diagnosis: zero-before-saddle
import numpy as np


def numerical_hessian(grad, x, eps=1e-5):
    x = np.array(x, dtype=float)
    n = x.size
    cols = []
    for j in range(n):
        e = np.zeros(n)
        e[j] = eps
        cols.append((np.asarray(grad(x + e)) - np.asarray(grad(x - e))) / (2 * eps))
    H = np.stack(cols, axis=1)
    return (H + H.T) / 2


def classify_critical_point(H, tol=1e-6):
    lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    if np.any(np.abs(lam) <= tol):
        return "degenerate"
    if np.all(lam > 0):
        return "minimum"
    if np.all(lam < 0):
        return "maximum"
    return "saddle"
