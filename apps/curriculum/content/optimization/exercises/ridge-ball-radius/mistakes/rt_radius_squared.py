# mistake: ridge_radius returns the squared norm |w|^2 instead of the norm |w|; the radius is the Euclidean norm.
# diagnosis: radius-squared
import numpy as np


def ridge(X, y, lam):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if lam == 0:
        return np.linalg.pinv(X) @ y
    d = X.shape[1]
    return np.linalg.solve(X.T @ X + lam * np.eye(d), X.T @ y)


def ridge_radius(X, y, lam):
    return float(np.linalg.norm(ridge(X, y, lam)) ** 2)


def lambda_for_radius(X, y, t):
    r0 = ridge_radius(X, y, 0.0)
    if t >= r0:
        return 0.0
    lo, hi = 0.0, 1.0
    while ridge_radius(X, y, hi) > t:
        lo = hi
        hi *= 2.0
    for _ in range(300):
        mid = 0.5 * (lo + hi)
        if ridge_radius(X, y, mid) > t:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-13 * hi:
            break
    return 0.5 * (lo + hi)
