# mistake: the softplus is written np.log(1 + np.exp(x)), which overflows to inf for x above about 709 (weights of size 250); use np.logaddexp(0, x).
# diagnosis: naive-softplus
import itertools

import numpy as np


def free_energy(V, W, b, c):
    V = np.asarray(V, dtype=float)
    X = V @ W + c
    return -V @ b - np.sum(np.log(1 + np.exp(X)), axis=1)


def log_partition(W, b, c):
    D = np.asarray(W).shape[0]
    all_v = np.array(list(itertools.product([0.0, 1.0], repeat=D)))
    a = -free_energy(all_v, W, b, c)
    mx = a.max()
    return float(mx + np.log(np.sum(np.exp(a - mx))))


def average_log_likelihood(V, W, b, c):
    return float(np.mean(-free_energy(V, W, b, c)) - log_partition(W, b, c))
