# mistake: runs a fixed 100 sweeps instead of iterating until max |v_{k+1} - v_k| < tol, which is far from converged for gamma = 0.99 (the error shrinks only like 0.99^k); loop until the change is below tol
# diagnosis: fixed-sweeps
import numpy as np


def value_iteration(P, R, gamma, tol=1e-8):
    P = np.asarray(P, dtype=float)
    R = np.asarray(R, dtype=float)
    V = np.zeros(P.shape[0])
    for _ in range(100):
        Q = R + gamma * P @ V
        V = Q.max(axis=1)
    Q = R + gamma * P @ V
    return V, Q.argmax(axis=1)
