# mistake: sums over every axis with .sum() instead of the last axis, so a batch of shape (N, K) returns one total instead of N entropies; use .sum(axis=-1)
# diagnosis: sum-all-axes
import numpy as np


def entropy(p):
    p = np.asarray(p, dtype=float)
    logp = np.log(np.where(p > 0, p, 1.0))
    return -(p * logp).sum()
