import numpy as np


def hebbian_weights(patterns):
    """W = patterns^T patterns / N with zero diagonal."""
    patterns = np.asarray(patterns, dtype=float)
    W = patterns.T @ patterns / patterns.shape[1]
    np.fill_diagonal(W, 0.0)
    return W


def energy(W, s):
    """E(s) = -1/2 s^T W s."""
    s = np.asarray(s, dtype=float)
    return float(-0.5 * s @ W @ s)


def recall(W, s0, order):
    """Asynchronous updates s_i <- sign(h_i) in the given order; a zero field keeps s_i."""
    W = np.asarray(W, dtype=float)
    s = np.asarray(s0, dtype=float).copy()
    energies = [energy(W, s)]
    for i in np.asarray(order, dtype=int):
        h = W[i] @ s
        if h > 0:
            s[i] = 1.0
        elif h < 0:
            s[i] = -1.0
        energies.append(energy(W, s))
    return s, np.array(energies)
