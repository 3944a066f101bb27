# diagnosis: not-symmetrised
import numpy as np


def numerical_hessian(grad, x, eps=1e-5):
    x = np.asarray(x, dtype=float)
    return np.stack(
        [(grad(x + eps * e) - grad(x - eps * e)) / (2 * eps) for e in np.eye(x.size)], axis=1
    )


def classify_critical_point(H, tol=1e-6):
    lam = np.linalg.eigvalsh(H)
    if np.any(lam > tol) and np.any(lam < -tol):
        return "saddle"
    if np.all(lam > tol):
        return "minimum"
    if np.all(lam < -tol):
        return "maximum"
    return "degenerate"
