# diagnosis: reward-greedy
import numpy as np


def value_iteration(P, R, gamma, tol=1e-8):
    V = np.zeros(P.shape[0])
    while True:
        V_new = (R + gamma * P @ V).max(axis=1)
        if np.abs(V_new - V).max() < tol:
            break
        V = V_new
    return V_new, R.argmax(axis=1)
