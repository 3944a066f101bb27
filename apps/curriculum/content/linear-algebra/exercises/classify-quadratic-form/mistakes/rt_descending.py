# mistake: returns the eigenvalues in descending order (sorted largest first) instead of ascending; return np.linalg.eigvalsh(S) as it comes
# diagnosis: descending
import numpy as np


def classify_quadratic_form(A, tol=1e-9):
    A = np.asarray(A, dtype=float)
    lam = np.sort(np.linalg.eigvalsh((A + A.T) / 2))[::-1]
    if np.all(lam > tol):
        return lam, "positive definite"
    if np.all(lam < -tol):
        return lam, "negative definite"
    if np.any(lam > tol) and np.any(lam < -tol):
        return lam, "indefinite"
    if np.all(lam >= -tol):
        return lam, "positive semidefinite"
    return lam, "negative semidefinite"
