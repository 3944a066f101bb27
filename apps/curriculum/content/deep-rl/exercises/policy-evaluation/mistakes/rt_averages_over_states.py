# mistake: averages the transitions over the current state (sum over axis 0 of policy[:, :, None] * P) instead of over the actions, so P_pi[s, s'] mixes every state's rows; P_pi[s, s'] = sum_a pi(a|s) P[s, a, s'], i.e. sum over axis 1
# diagnosis: averaged-over-states
import numpy as np


def evaluate_policy(P, R, policy, gamma):
    P = np.asarray(P, dtype=float)
    R = np.asarray(R, dtype=float)
    policy = np.asarray(policy, dtype=float)
    S = R.shape[0]
    P_pi = (
        (policy[:, :, None] * P).sum(axis=0)[:S]
        if P.shape[1] >= S
        else np.tile((policy[:, :, None] * P).sum(axis=0), (S // P.shape[1] + 1, 1))[:S]
    )
    R_pi = (policy * R).sum(axis=1)
    return np.linalg.solve(np.eye(S) - gamma * P_pi, R_pi)
