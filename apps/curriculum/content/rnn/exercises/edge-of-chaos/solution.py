import numpy as np


def max_lyapunov(W, gains, h0, delta0, burn_in, steps):
    """Largest Lyapunov exponent of h <- tanh(g W h), one estimate per gain."""
    W = np.asarray(W, dtype=float)
    out = []
    for g in np.asarray(gains, dtype=float):
        h = np.asarray(h0, dtype=float).copy()
        for _ in range(int(burn_in)):
            h = np.tanh(g * (W @ h))
        d = np.asarray(delta0, dtype=float) / np.linalg.norm(delta0)
        total = 0.0
        for _ in range(int(steps)):
            h = np.tanh(g * (W @ h))
            d = (1.0 - h * h) * (g * (W @ d))
            size = np.linalg.norm(d)
            total += np.log(size)
            d = d / size
        out.append(total / steps)
    return np.array(out)


def mean_field_exponent(gains, nodes, weights, n_iter):
    """0.5 log chi, with q iterated n_iter times from 1 and chi = g^2 E[(1 - tanh^2)^2]."""
    nodes, weights = np.asarray(nodes, dtype=float), np.asarray(weights, dtype=float)
    out = []
    for g in np.asarray(gains, dtype=float):
        q = 1.0
        for _ in range(int(n_iter)):
            q = g * g * float(weights @ np.tanh(np.sqrt(q) * nodes) ** 2)
        chi = g * g * float(weights @ (1.0 - np.tanh(np.sqrt(q) * nodes) ** 2) ** 2)
        out.append(0.5 * np.log(chi))
    return np.array(out)
