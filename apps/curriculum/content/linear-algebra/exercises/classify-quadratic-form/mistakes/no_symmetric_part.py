# diagnosis: no-symmetric-part
import numpy as np


def classify_quadratic_form(A, tol=1e-9):
    A = np.asarray(A, dtype=float)
    eigenvalues = np.sort(np.linalg.eigvals(A).real)
    if np.all(eigenvalues > tol):
        return eigenvalues, "positive definite"
    if np.all(eigenvalues < -tol):
        return eigenvalues, "negative definite"
    if np.all(eigenvalues >= -tol):
        return eigenvalues, "positive semidefinite"
    if np.all(eigenvalues <= tol):
        return eigenvalues, "negative semidefinite"
    return eigenvalues, "indefinite"
