# mistake: compares eigenvalues with 0 instead of with +-tol, so a zero eigenvalue computed as 1e-16 counts as positive and a semidefinite Hessian is called a minimum (or a saddle); use > tol and < -tol
# diagnosis: no-tolerance
import numpy as np


def classify_critical_point(H, tol=1e-8):
    lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    if np.any(lam > 0) and np.any(lam < 0):
        return "saddle", lam
    if np.all(lam > 0):
        return "minimum", lam
    if np.all(lam < 0):
        return "maximum", lam
    return "degenerate", lam
