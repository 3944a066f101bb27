# mistake: forms the symmetric part as A + A.T without the factor 1/2, so every eigenvalue is doubled (the label is still right); use S = (A + A.T) / 2
# diagnosis: no-half
import numpy as np


def classify_quadratic_form(A, tol=1e-9):
    A = np.asarray(A, dtype=float)
    lam = np.linalg.eigvalsh(A + A.T)
    if np.all(lam > tol):
        return lam, "positive definite"
    if np.all(lam < -tol):
        return lam, "negative definite"
    if np.any(lam > tol) and np.any(lam < -tol):
        return lam, "indefinite"
    if np.all(lam >= -tol):
        return lam, "positive semidefinite"
    return lam, "negative semidefinite"
