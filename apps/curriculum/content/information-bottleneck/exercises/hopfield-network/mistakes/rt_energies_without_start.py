# mistake: the energies list omits the energy of the start state, so it has L entries instead of L + 1; put E(s0) first.
# diagnosis: energies-without-start
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
    energies = []
    for i in order:
        h = W[i] @ s
        if h > 0:
            s[i] = 1.0
        elif h < 0:
            s[i] = -1.0
        energies.append(energy(W, s))
    return s, np.array(energies)
