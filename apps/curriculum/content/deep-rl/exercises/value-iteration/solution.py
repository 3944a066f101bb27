import numpy as np


def value_iteration(P, R, gamma, tol=1e-8):
    """Optimal values V (S,) and a greedy policy (S,) of ints for P (S, A, S), R (S, A)."""
    P = np.asarray(P, dtype=float)
    R = np.asarray(R, dtype=float)
    V = np.zeros(P.shape[0])
    while True:
        Q = R + gamma * P @ V
        V_new = Q.max(axis=1)
        if np.abs(V_new - V).max() < tol:
            break
        V = V_new
    policy = (R + gamma * P @ V_new).argmax(axis=1)
    return V_new, policy
