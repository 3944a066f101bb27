import numpy as np


def value_iteration(P, R, gamma, tol=1e-8):
    """Optimal values V (S,) and a greedy policy (S,) of ints for P (S, A, S), R (S, A)."""
    P = np.asarray(P, dtype=float)
    R = np.asarray(R, dtype=float)
    V = np.zeros(P.shape[0])
    # TODO: one sweep only; repeat until the values stop changing.
    Q = R + gamma * P @ V
    V = Q.max(axis=1)
    return V, Q.argmax(axis=1)
