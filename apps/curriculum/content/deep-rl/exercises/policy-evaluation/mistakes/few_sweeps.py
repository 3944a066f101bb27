# diagnosis: too-few-sweeps
import numpy as np


def evaluate_policy(P, R, policy, gamma):
    P_pi = np.einsum("sa,sat->st", policy, P)
    R_pi = (policy * R).sum(axis=1)
    V = np.zeros(P.shape[0])
    for _ in range(300):
        V = R_pi + gamma * P_pi @ V
    return V
