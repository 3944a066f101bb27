import numpy as np


def ridge(X, y, lam):
    """Minimiser of |Xw - y|^2 + lam |w|^2; the minimum-norm least-squares solution at lam = 0."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if lam == 0:
        return np.linalg.lstsq(X, y, rcond=None)[0]
    d = X.shape[1]
    return np.linalg.solve(X.T @ X + lam * np.eye(d), X.T @ y)


def ridge_radius(X, y, lam):
    """The norm of the ridge solution: the radius of the equivalent constraint."""
    return float(np.linalg.norm(ridge(X, y, lam)))


def lambda_for_radius(X, y, t):
    """The ridge coefficient whose solution has norm t (0 if the constraint is inactive)."""
    if t >= ridge_radius(X, y, 0.0):
        return 0.0
    # A bracket [hi / 2, hi] with r(hi / 2) > t >= r(hi), whatever the scale of lam.
    hi = 1.0
    while ridge_radius(X, y, hi) > t:
        hi = 2.0 * hi
    while ridge_radius(X, y, 0.5 * hi) <= t:
        hi = 0.5 * hi
    lo = 0.5 * hi
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if ridge_radius(X, y, mid) > t:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-12 * hi:
            break
    return 0.5 * (lo + hi)
