# mistake: solves (I + gamma P_pi) v = r_pi instead of (I - gamma P_pi) v = r_pi, a sign slip when moving gamma P_pi v to the left-hand side
# diagnosis: plus-gamma
import numpy as np


def evaluate_policy(P, R, policy, gamma):
    P = np.asarray(P, dtype=float)
    R = np.asarray(R, dtype=float)
    policy = np.asarray(policy, dtype=float)
    S = R.shape[0]
    P_pi = np.einsum("sa,sat->st", policy, P)
    R_pi = (policy * R).sum(axis=1)
    return np.linalg.solve(np.eye(S) + gamma * P_pi, R_pi)
