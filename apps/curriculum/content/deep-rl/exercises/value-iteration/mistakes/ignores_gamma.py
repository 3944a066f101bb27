# diagnosis: ignores-gamma
import numpy as np


def value_iteration(P, R, gamma, tol=1e-8):
    V = np.zeros(P.shape[0])
    for _ in range(2000):
        Q = R + P @ V
        V_new = Q.max(axis=1)
        if np.abs(V_new - V).max() < tol:
            break
        V = V_new
    return V_new, Q.argmax(axis=1)
