# mistake: hard-codes a zero threshold of 1e-6 instead of using the tol argument, so a caller's tol is ignored and eigenvalues between 1e-9 and 1e-6 count as zero; compare against tol
# diagnosis: ignores-tol
import numpy as np


def classify_quadratic_form(A, tol=1e-9):
    A = np.asarray(A, dtype=float)
    lam = np.linalg.eigvalsh((A + A.T) / 2)
    eps = 1e-6
    if np.all(lam > eps):
        return lam, "positive definite"
    if np.all(lam < -eps):
        return lam, "negative definite"
    if np.any(lam > eps) and np.any(lam < -eps):
        return lam, "indefinite"
    if np.all(lam >= -eps):
        return lam, "positive semidefinite"
    return lam, "negative semidefinite"
