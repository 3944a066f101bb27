# mistake: recall updates the caller's s0 in place (np.asarray does not copy a float array); copy s0 first.
# diagnosis: changes-s0
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
    s = np.asarray(s0, dtype=float)
    energies = [energy(W, s)]
    for i in order:
        h = W[i] @ s
        if h > 0:
            s[i] = 1.0
        elif h < 0:
            s[i] = -1.0
        energies.append(energy(W, s))
    return s, np.array(energies)
