import numpy as np


def entropy(p):
    """Entropy in nats over the last axis of p; 0 log 0 counts as 0. Shape p.shape[:-1]."""
    p = np.asarray(p, dtype=float)
    logs = np.log(np.where(p > 0, p, 1.0))
    return -(p * logs).sum(axis=-1)
