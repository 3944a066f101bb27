# mistake: discounts the immediate reward as well, Q = gamma * (R + P V), instead of only the next value, Q = R + gamma * P V
# diagnosis: discounts-reward
import numpy as np


def value_iteration(P, R, gamma, tol=1e-8):
    P = np.asarray(P, dtype=float)
    R = np.asarray(R, dtype=float)
    V = np.zeros(P.shape[0])
    while True:
        Q = gamma * (R + P @ V)
        V_new = Q.max(axis=1)
        done = np.abs(V_new - V).max() < tol
        V = V_new
        if done:
            break
    return V, (gamma * (R + P @ V)).argmax(axis=1)
