# diagnosis: never-normalised
import numpy as np


def power_iteration(A, num_iters=100):
    A = np.asarray(A, dtype=float)
    x = np.random.default_rng(0).normal(size=A.shape[0])
    for _ in range(num_iters):
        x = A @ x
    eigenvalue = float(x @ A @ x / (x @ x))
    return eigenvalue, x
