import numpy as np


def hebbian_weights(patterns):
    """W = patterns^T patterns / N with zero diagonal."""
    patterns = np.asarray(patterns, dtype=float)
    # TODO: divide by N and remove the self-connections
    return patterns.T @ patterns


def energy(W, s):
    """E(s) = -1/2 s^T W s."""
    s = np.asarray(s, dtype=float)
    return float(-s @ W @ s)  # TODO: check the factor


def recall(W, s0, order):
    """Asynchronous updates s_i <- sign(h_i) in the given order; a zero field keeps s_i."""
    s = np.asarray(s0, dtype=float).copy()
    # TODO: update one neuron at a time, in the given order, recording the energy
    return s, np.array([energy(W, s)] * (len(order) + 1))
