# mistake: the free energy adds b.v instead of subtracting it (F = +b.v - sum softplus); F(v) = -b.v - sum_j softplus(c_j + (W^T v)_j).
# diagnosis: visible-bias-sign
import itertools

import numpy as np


def free_energy(V, W, b, c):
    V = np.asarray(V, dtype=float)
    X = V @ W + c
    return V @ b - np.sum(np.logaddexp(0.0, X), axis=1)


def log_partition(W, b, c):
    D = np.asarray(W).shape[0]
    all_v = np.array(list(itertools.product([0.0, 1.0], repeat=D)))
    a = -free_energy(all_v, W, b, c)
    mx = a.max()
    return float(mx + np.log(np.sum(np.exp(a - mx))))


def average_log_likelihood(V, W, b, c):
    return float(np.mean(-free_energy(V, W, b, c)) - log_partition(W, b, c))
