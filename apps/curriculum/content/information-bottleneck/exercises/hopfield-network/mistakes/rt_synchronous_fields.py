# mistake: recall computes all fields once from the start state (h = W @ s0) instead of from the current state before each update, so later updates do not see earlier ones; compute h = W[i] @ s inside the loop.
# diagnosis: synchronous-fields
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
    fields = W @ s
    for i in order:
        h = fields[i]
        if h > 0:
            s[i] = 1.0
        elif h < 0:
            s[i] = -1.0
        energies.append(energy(W, s))
    return s, np.array(energies)
