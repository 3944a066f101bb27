# mistake: js_divergence uses np.log2 (bits) instead of the natural log (nats), so disjoint distributions give 1 instead of log 2; use np.log.
# diagnosis: js-log2
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
    return np.sum(p[k] * np.log2(p[k] / m[k]))


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
    return float(np.sum(p[a] * np.log(D[a])) + np.sum(q[b] * np.log1p(-D[b])))
