# mistake: tests "negative semidefinite" before "positive semidefinite", so the zero matrix (which fits both) is labelled negative semidefinite; test the positive case first as the prompt asks
# diagnosis: zero-matrix-negative
import numpy as np


def classify_quadratic_form(A, tol=1e-9):
    A = np.asarray(A, dtype=float)
    lam = np.linalg.eigvalsh((A + A.T) / 2)
    if np.all(lam > tol):
        return lam, "positive definite"
    if np.all(lam < -tol):
        return lam, "negative definite"
    if np.all(lam <= tol):
        return lam, "negative semidefinite"
    if np.all(lam >= -tol):
        return lam, "positive semidefinite"
    return lam, "indefinite"
