# mistake: recall sets s_i = +1 when h_i >= 0, so a neuron at -1 with a field of exactly 0 flips; a zero field leaves the neuron unchanged.
# diagnosis: zero-field-to-plus
import numpy as np


def hebbian_weights(patterns):
    patterns = np.asarray(patterns, dtype=float)
    P, N = patterns.shape
    W = np.zeros((N, N))
    for xi in patterns:
        W += np.outer(xi, xi)
    W /= N
    W[np.arange(N), np.arange(N)] = 0.0
    return W


def energy(W, s):
    s = np.asarray(s, dtype=float)
    return float(-0.5 * s @ np.asarray(W) @ s)


def recall(W, s0, order):
    W = np.asarray(W, dtype=float)
    s = np.array(s0, dtype=float)
    energies = [energy(W, s)]
    for i in order:
        h = W[i] @ s
        s[i] = 1.0 if h >= 0 else -1.0
        energies.append(energy(W, s))
    return s, np.array(energies)
