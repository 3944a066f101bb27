# mistake: mean_field_exponent starts q at 1 only once, before the loop over gains, so each gain continues from the previous gain's q instead of q = 1; reset q = 1.0 for every gain.
# diagnosis: q-not-reset
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
            h = np.tanh(g * W @ h)
            d = (1 - h**2) * (g * W @ d)
            s = np.linalg.norm(d)
            total += np.log(s)
            d = d / s
        res.append(total / steps)
    return np.array(res)


def mean_field_exponent(gains, nodes, weights, n_iter):
    nodes = np.asarray(nodes, dtype=float)
    weights = np.asarray(weights, dtype=float)
    res = []
    q = 1.0
    for g in gains:
        for _ in range(n_iter):
            q = g**2 * np.sum(weights * np.tanh(np.sqrt(q) * nodes) ** 2)
        chi = g**2 * np.sum(weights * (1 - np.tanh(np.sqrt(q) * nodes) ** 2) ** 2)
        res.append(0.5 * np.log(chi))
    return np.array(res)
