import numpy as np


def classify_quadratic_form(A, tol=1e-9):
    """(ascending eigenvalues of (A + A^T)/2, one of the five labels)."""
    A = np.asarray(A, dtype=float)
    eigenvalues = np.sort(np.linalg.eigvals(A).real)
    if np.all(eigenvalues > 0):
        return eigenvalues, "positive definite"
    # TODO: the other four cases, and the symmetric part
    return eigenvalues, "indefinite"
