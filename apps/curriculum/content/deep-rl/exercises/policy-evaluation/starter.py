import numpy as np


def evaluate_policy(P, R, policy, gamma):
    """V^pi for P (S, A, S), R (S, A), policy (S, A) of probabilities, discount gamma."""
    P = np.asarray(P, dtype=float)
    R = np.asarray(R, dtype=float)
    policy = np.asarray(policy, dtype=float)
    R_pi = (policy * R).sum(axis=1)
    # TODO: this is only the immediate reward; add the discounted value of what comes next.
    return R_pi
