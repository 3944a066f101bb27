import numpy as np


def ridge(X, y, lam):
    """Minimiser of |Xw - y|^2 + lam |w|^2; the minimum-norm least-squares solution at lam = 0."""
    X = np.asarray(X, dtype=float)
    # TODO: this ignores lam (and fails when X^T X is singular).
    return np.linalg.solve(X.T @ X, X.T @ y)


def ridge_radius(X, y, lam):
    """The norm of the ridge solution."""
    return float(np.linalg.norm(ridge(X, y, lam)))


def lambda_for_radius(X, y, t):
    """The ridge coefficient whose solution has norm t (0 if the constraint is inactive)."""
    # TODO: bisection on ridge_radius, which decreases as lam grows.
    return 1.0
