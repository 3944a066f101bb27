import numpy as np


def evaluate_policy(P, R, policy, gamma):
    """V^pi for P (S, A, S), R (S, A), policy (S, A) of probabilities, discount gamma."""
    P = np.asarray(P, dtype=float)
    R = np.asarray(R, dtype=float)
    policy = np.asarray(policy, dtype=float)
    S = P.shape[0]
    P_pi = np.einsum("sa,sat->st", policy, P)
    R_pi = (policy * R).sum(axis=1)
    return np.linalg.solve(np.eye(S) - gamma * P_pi, R_pi)
