# diagnosis: transposed-transitions
import numpy as np


def evaluate_policy(P, R, policy, gamma):
    P_pi = np.einsum("sa,sat->st", policy, P)
    R_pi = (policy * R).sum(axis=1)
    return np.linalg.solve(np.eye(P.shape[0]) - gamma * P_pi.T, R_pi)
