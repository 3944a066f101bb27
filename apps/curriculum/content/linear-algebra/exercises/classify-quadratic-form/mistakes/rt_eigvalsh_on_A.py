# mistake: calls np.linalg.eigvalsh on A itself, which silently reads only the lower triangle of a non-symmetric matrix; form S = (A + A.T) / 2 first and take eigvalsh(S)
# diagnosis: eigvalsh-on-a
import numpy as np


def classify_quadratic_form(A, tol=1e-9):
    A = np.asarray(A, dtype=float)
    lam = np.linalg.eigvalsh(A)
    if np.all(lam > tol):
        return lam, "positive definite"
    if np.all(lam < -tol):
        return lam, "negative definite"
    if np.any(lam > tol) and np.any(lam < -tol):
        return lam, "indefinite"
    if np.all(lam >= -tol):
        return lam, "positive semidefinite"
    return lam, "negative semidefinite"
