# mistake: optimal_discriminator divides by p_data + p_g + 1e-12, which gives 0 instead of 0.5 where both are 0 (and biases tiny probabilities such as 1e-30); divide only where the sum is positive and put 0.5 elsewhere.
# diagnosis: discriminator-eps
import numpy as np


def optimal_discriminator(p_data, p_g):
    p = np.asarray(p_data, dtype=float)
    q = np.asarray(p_g, dtype=float)
    s = p + q
    D = p / (s + 1e-12)
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
    return float(np.sum(p[a] * np.log(D[a])) + np.sum(q[b] * np.log1p(-D[b])))
