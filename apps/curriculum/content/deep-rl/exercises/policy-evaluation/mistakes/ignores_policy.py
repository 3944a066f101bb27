# diagnosis: ignores-policy
import numpy as np


def evaluate_policy(P, R, policy, gamma):
    P_pi = P.mean(axis=1)
    R_pi = R.mean(axis=1)
    return np.linalg.solve(np.eye(P.shape[0]) - gamma * P_pi, R_pi)
