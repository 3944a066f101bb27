import numpy as np


def entropy(p):
    """Entropy in nats over the last axis of p; 0 log 0 counts as 0. Shape p.shape[:-1]."""
    p = np.asarray(p, dtype=float)
    # TODO: check the units, the axis and what happens at p = 0.
    return -(p * np.log2(p)).sum()
