import numpy as np


def classify_quadratic_form(A, tol=1e-9):
    """(ascending eigenvalues of (A + A^T)/2, one of the five labels)."""
    A = np.asarray(A, dtype=float)
    S = 0.5 * (A + A.T)
    eigenvalues = np.linalg.eigvalsh(S)
    positive = int(np.sum(eigenvalues > tol))
    negative = int(np.sum(eigenvalues < -tol))
    n = eigenvalues.size
    if positive and negative:
        label = "indefinite"
    elif positive == n:
        label = "positive definite"
    elif negative == n:
        label = "negative definite"
    elif negative == 0 and positive > 0:
        label = "positive semidefinite"
    elif positive == 0 and negative > 0:
        label = "negative semidefinite"
    else:  # every eigenvalue is zero: q vanishes identically, both semidefinite; pick one
        label = "positive semidefinite"
    return eigenvalues, label
