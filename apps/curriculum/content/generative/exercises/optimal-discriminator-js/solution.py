import numpy as np


def optimal_discriminator(p_data, p_g):
    """D* = p_data / (p_data + p_g), and 0.5 where neither distribution has mass."""
    p_data, p_g = np.asarray(p_data, dtype=float), np.asarray(p_g, dtype=float)
    total = p_data + p_g
    return np.where(total > 0, p_data / np.where(total > 0, total, 1.0), 0.5)


def _weighted_log(weights, values):
    """sum of w * log(v) over the entries with w > 0 (so 0 log 0 = 0)."""
    keep = weights > 0
    return float(np.sum(weights[keep] * np.log(values[keep])))


def js_divergence(p, q):
    """Jensen-Shannon divergence in nats."""
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    m = 0.5 * (p + q)
    keep_p, keep_q = p > 0, q > 0
    kl_p = np.sum(p[keep_p] * np.log(p[keep_p] / m[keep_p]))
    kl_q = np.sum(q[keep_q] * np.log(q[keep_q] / m[keep_q]))
    return float(0.5 * kl_p + 0.5 * kl_q)


def gan_value(D, p_data, p_g):
    """V(D, G) = E_data[log D] + E_g[log(1 - D)] on a finite set of outcomes."""
    D = np.asarray(D, dtype=float)
    p_data, p_g = np.asarray(p_data, dtype=float), np.asarray(p_g, dtype=float)
    with np.errstate(divide="ignore"):
        return _weighted_log(p_data, D) + _weighted_log(p_g, 1.0 - D)
