# mistake: fills the policy into np.zeros(S), a float array, so the actions come back as floats (2.0) instead of integers; return Q.argmax(axis=1), an integer array
# diagnosis: float-policy
import numpy as np


def value_iteration(P, R, gamma, tol=1e-8):
    P = np.asarray(P, dtype=float)
    R = np.asarray(R, dtype=float)
    V = np.zeros(P.shape[0])
    while True:
        Q = R + gamma * P @ V
        V_new = Q.max(axis=1)
        done = np.abs(V_new - V).max() < tol
        V = V_new
        if done:
            break
    policy = np.zeros(P.shape[0])
    policy[:] = (R + gamma * P @ V).argmax(axis=1)
    return V, policy
