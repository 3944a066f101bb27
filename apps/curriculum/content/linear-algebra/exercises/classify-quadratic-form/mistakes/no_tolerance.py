# diagnosis: no-tolerance
import numpy as np


def classify_quadratic_form(A, tol=1e-9):
    A = np.asarray(A, dtype=float)
    eigenvalues = np.linalg.eigvalsh(0.5 * (A + A.T))
    if np.all(eigenvalues > 0):
        return eigenvalues, "positive definite"
    if np.all(eigenvalues < 0):
        return eigenvalues, "negative definite"
    if np.all(eigenvalues >= 0):
        return eigenvalues, "positive semidefinite"
    if np.all(eigenvalues <= 0):
        return eigenvalues, "negative semidefinite"
    return eigenvalues, "indefinite"
