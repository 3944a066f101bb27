# mistake: recall sets s[i] = np.sign(h), which is 0 for a field of exactly 0 instead of leaving the neuron unchanged; only change s[i] when h != 0.
# diagnosis: zero-field-to-zero
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
        s[i] = np.sign(h)
        energies.append(energy(W, s))
    return s, np.array(energies)
