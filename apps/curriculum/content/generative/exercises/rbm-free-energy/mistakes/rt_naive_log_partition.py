# mistake: log Z is computed as log(sum(exp(-F))), which overflows when free energies are near -1000; subtract the maximum of -F before exponentiating (log-sum-exp).
# diagnosis: naive-log-partition
import itertools

import numpy as np


def free_energy(V, W, b, c):
    V = np.asarray(V, dtype=float)
    X = V @ W + c
    return -V @ b - np.sum(np.logaddexp(0.0, X), axis=1)


def log_partition(W, b, c):
    D = np.asarray(W).shape[0]
    all_v = np.array(list(itertools.product([0.0, 1.0], repeat=D)))
    a = -free_energy(all_v, W, b, c)
    mx = a.max()
    return float(np.log(np.sum(np.exp(a))))


def average_log_likelihood(V, W, b, c):
    return float(np.mean(-free_energy(V, W, b, c)) - log_partition(W, b, c))
