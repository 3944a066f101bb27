import numpy as np


def optimal_discriminator(p_data, p_g):
    """D* = p_data / (p_data + p_g), and 0.5 where neither distribution has mass."""
    p_data, p_g = np.asarray(p_data, dtype=float), np.asarray(p_g, dtype=float)
    # TODO: the pointwise maximiser of p_data log D + p_g log(1 - D)
    return np.full(p_data.shape, 0.5)


def js_divergence(p, q):
    """Jensen-Shannon divergence in nats."""
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    # TODO: the average of KL(p || m) and KL(q || m) with m = (p + q) / 2
    return 0.0


def gan_value(D, p_data, p_g):
    """V(D, G) = E_data[log D] + E_g[log(1 - D)] on a finite set of outcomes."""
    D = np.asarray(D, dtype=float)
    # TODO: both expectations, with 0 log 0 = 0
    return float(np.sum(p_data * np.log(D)))
