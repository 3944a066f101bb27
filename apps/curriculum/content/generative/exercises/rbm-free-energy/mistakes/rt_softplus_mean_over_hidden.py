# mistake: the hidden softplus terms are averaged over the hidden units (.mean(axis=1)) instead of summed; F sums over j = 1..H.
# diagnosis: softplus-mean-over-hidden
import itertools

import numpy as np


def free_energy(V, W, b, c):
    V = np.asarray(V, dtype=float)
    X = V @ W + c
    return -V @ b - np.mean(np.logaddexp(0.0, X), axis=1)


def log_partition(W, b, c):
    D = np.asarray(W).shape[0]
    all_v = np.array(list(itertools.product([0.0, 1.0], repeat=D)))
    a = -free_energy(all_v, W, b, c)
    mx = a.max()
    return float(mx + np.log(np.sum(np.exp(a - mx))))


def average_log_likelihood(V, W, b, c):
    return float(np.mean(-free_energy(V, W, b, c)) - log_partition(W, b, c))
