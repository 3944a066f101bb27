# mistake: sums policy * R over axis 0 (the states) instead of axis 1 (the actions), giving one number per action instead of r_pi[s] = sum_a pi(a|s) R[s, a]
# diagnosis: reward-over-states
import numpy as np


def evaluate_policy(P, R, policy, gamma):
    P = np.asarray(P, dtype=float)
    R = np.asarray(R, dtype=float)
    policy = np.asarray(policy, dtype=float)
    S = R.shape[0]
    P_pi = np.einsum("sa,sat->st", policy, P)
    R_pi = (policy * R).sum(axis=0)
    return np.linalg.solve(np.eye(S) - gamma * P_pi, R_pi)
