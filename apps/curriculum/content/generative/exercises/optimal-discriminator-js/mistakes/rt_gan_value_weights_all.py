# mistake: gan_value sums p_data log D + p_g log(1 - D) over all outcomes, so a zero weight times log 0 gives NaN; skip the outcomes whose weight is 0.
# diagnosis: value-zero-weights-nan
import numpy as np


def optimal_discriminator(p_data, p_g):
    p = np.asarray(p_data, dtype=float)
    q = np.asarray(p_g, dtype=float)
    s = p + q
    D = np.full(p.shape, 0.5)
    nz = s > 0
    D[nz] = p[nz] / s[nz]
    return D


def _kl(p, m):
    k = p > 0
    return np.sum(p[k] * np.log(p[k] / m[k]))


def js_divergence(p, q):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    m = 0.5 * (p + q)
    return float(0.5 * _kl(p, m) + 0.5 * _kl(q, m))


def gan_value(D, p_data, p_g):
    D = np.asarray(D, dtype=float)
    p = np.asarray(p_data, dtype=float)
    q = np.asarray(p_g, dtype=float)
    a = p > 0
    b = q > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum(p * np.log(D)) + np.sum(q * np.log(1 - D)))
