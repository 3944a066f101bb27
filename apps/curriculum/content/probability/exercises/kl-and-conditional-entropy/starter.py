import numpy as np


def kl_divergence(p, q):
    """D_KL(p || q) in nats over the last axis; inf where q = 0 < p."""
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    # TODO: zero entries of p should contribute nothing.
    return (p * np.log(p / q)).sum()


def conditional_entropy(joint):
    """H(Y | X) in nats for joint[x, y] = p(x, y)."""
    joint = np.asarray(joint, dtype=float)
    # TODO: this is the joint entropy H(X, Y); subtract what X already tells you.
    return float(-(joint * np.log(joint)).sum())
