# mistake: the perturbation is advanced with 1 - h**2 of the old state (delta updated before h); advance the state first and use the derivative at the new state.
# diagnosis: old-state
import numpy as np


def max_lyapunov(W, gains, h0, delta0, burn_in, steps):
    W = np.asarray(W, dtype=float)
    res = []
    for g in gains:
        h = np.array(h0, dtype=float)
        for _ in range(burn_in):
            h = np.tanh(g * W @ h)
        d = np.array(delta0, dtype=float)
        d = d / np.linalg.norm(d)
        total = 0.0
        for _ in range(steps):
            d = (1 - h**2) * (g * W @ d)
            h = np.tanh(g * W @ h)
            s = np.linalg.norm(d)
            total += np.log(s)
            d = d / s
        res.append(total / steps)
    return np.array(res)


def mean_field_exponent(gains, nodes, weights, n_iter):
    nodes = np.asarray(nodes, dtype=float)
    weights = np.asarray(weights, dtype=float)
    res = []
    for g in gains:
        q = 1.0
        for _ in range(n_iter):
            q = g**2 * np.sum(weights * np.tanh(np.sqrt(q) * nodes) ** 2)
        chi = g**2 * np.sum(weights * (1 - np.tanh(np.sqrt(q) * nodes) ** 2) ** 2)
        res.append(0.5 * np.log(chi))
    return np.array(res)
