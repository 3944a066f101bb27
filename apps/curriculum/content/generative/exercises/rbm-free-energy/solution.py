import itertools

import numpy as np


def free_energy(V, W, b, c):
    """F(v) = -b.v - sum_j softplus(c_j + (W^T v)_j) for every row v of V."""
    V = np.asarray(V, dtype=float)
    return -V @ b - np.logaddexp(0.0, V @ W + c).sum(axis=-1)


def log_partition(W, b, c):
    """log of the sum of exp(-F(v)) over all 2^D binary visible vectors."""
    D = np.asarray(W).shape[0]
    all_v = np.array(list(itertools.product([0.0, 1.0], repeat=D)))
    return float(np.logaddexp.reduce(-free_energy(all_v, W, b, c)))


def average_log_likelihood(V, W, b, c):
    """Mean of log p(v) = -F(v) - log Z over the rows of V."""
    return float(np.mean(-free_energy(V, W, b, c)) - log_partition(W, b, c))
