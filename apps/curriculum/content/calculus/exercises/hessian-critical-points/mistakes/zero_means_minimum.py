# diagnosis: zero-means-extremum
import numpy as np


def numerical_hessian(grad, x, eps=1e-5):
    x = np.asarray(x, dtype=float)
    H = np.stack(
        [(grad(x + eps * e) - grad(x - eps * e)) / (2 * eps) for e in np.eye(x.size)], axis=1
    )
    return 0.5 * (H + H.T)


def classify_critical_point(H, tol=1e-6):
    lam = np.linalg.eigvalsh(H)
    if np.all(lam >= 0):
        return "minimum"
    if np.all(lam <= 0):
        return "maximum"
    return "saddle"
