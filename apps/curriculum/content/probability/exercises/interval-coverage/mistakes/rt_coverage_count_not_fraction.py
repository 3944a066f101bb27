# mistake: coverage returns the number of covering intervals instead of the fraction; divide by R.
# diagnosis: coverage-count
import numpy as np


def intervals(x, sigma, m0, s0, z=1.959964):
    x = np.asarray(x, dtype=float)
    R, n = x.shape
    xbar = x.mean(axis=1)
    half = z * sigma / np.sqrt(n)
    conf = np.column_stack([xbar - half, xbar + half])
    prec = 1.0 / s0**2 + n / sigma**2
    sn2 = 1.0 / prec
    mn = sn2 * (m0 / s0**2 + n * xbar / sigma**2)
    sn = np.sqrt(sn2)
    cred = np.column_stack([mn - z * sn, mn + z * sn])
    return conf, cred


def coverage(bounds, mu):
    bounds = np.asarray(bounds, dtype=float)
    mu = np.broadcast_to(np.asarray(mu, dtype=float), (bounds.shape[0],))
    inside = (bounds[:, 0] <= mu) & (mu <= bounds[:, 1])
    return float(inside.sum())
