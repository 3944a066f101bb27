# mistake: the credible interval uses z * s_n^2 (the posterior variance) as half-width instead of z * s_n (its standard deviation); take the square root.
# diagnosis: credible-half-width-variance
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
    cred = np.column_stack([mn - z * sn2, mn + z * sn2])
    return conf, cred


def coverage(bounds, mu):
    bounds = np.asarray(bounds, dtype=float)
    mu = np.broadcast_to(np.asarray(mu, dtype=float), (bounds.shape[0],))
    inside = (bounds[:, 0] <= mu) & (mu <= bounds[:, 1])
    return float(inside.sum() / len(inside))
