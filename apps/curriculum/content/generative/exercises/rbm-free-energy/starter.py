import itertools

import numpy as np


def free_energy(V, W, b, c):
    """F(v) = -b.v - sum_j softplus(c_j + (W^T v)_j) for every row v of V."""
    V = np.asarray(V, dtype=float)
    # TODO: add the hidden units' softplus terms
    return -V @ b


def log_partition(W, b, c):
    """log of the sum of exp(-F(v)) over all 2^D binary visible vectors."""
    D = np.asarray(W).shape[0]
    all_v = np.array(list(itertools.product([0.0, 1.0], repeat=D)))
    # TODO: a stable log-sum-exp of -F over all_v; this only counts the vectors
    return float(np.log(len(all_v)))


def average_log_likelihood(V, W, b, c):
    """Mean of log p(v) = -F(v) - log Z over the rows of V."""
    return float(np.mean(-free_energy(V, W, b, c)))
