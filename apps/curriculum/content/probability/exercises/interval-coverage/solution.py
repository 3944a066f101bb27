import numpy as np


def intervals(x, sigma, m0, s0, z=1.959964):
    """Confidence and credible intervals for the mean of each row of x; two (R, 2) arrays."""
    x = np.asarray(x, dtype=float)
    n = x.shape[1]
    xbar = x.mean(axis=1)
    half = z * sigma / np.sqrt(n)
    confidence = np.stack([xbar - half, xbar + half], axis=1)
    precision = 1.0 / s0**2 + n / sigma**2
    sn = np.sqrt(1.0 / precision)
    mn = (m0 / s0**2 + n * xbar / sigma**2) / precision
    credible = np.stack([mn - z * sn, mn + z * sn], axis=1)
    return confidence, credible


def coverage(bounds, mu):
    """Fraction of the intervals [lo, hi] (rows of bounds) that contain their mu, ends included."""
    bounds = np.asarray(bounds, dtype=float)
    mu = np.asarray(mu, dtype=float)
    inside = (bounds[:, 0] <= mu) & (mu <= bounds[:, 1])
    return float(np.mean(inside))
