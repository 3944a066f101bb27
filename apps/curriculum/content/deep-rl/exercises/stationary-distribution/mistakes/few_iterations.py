# diagnosis: too-few-iterations
import numpy as np


def stationary_distribution(P):
    P = np.asarray(P, dtype=float)
    mu = np.full(P.shape[0], 1.0 / P.shape[0])
    for _ in range(200):
        mu = mu @ P
    return mu
