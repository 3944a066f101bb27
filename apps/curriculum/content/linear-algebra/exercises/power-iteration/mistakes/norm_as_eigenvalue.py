# diagnosis: norm-as-eigenvalue
import numpy as np


def power_iteration(A, num_iters=100):
    A = np.asarray(A, dtype=float)
    x = np.random.default_rng(0).normal(size=A.shape[0])
    x /= np.linalg.norm(x)
    for _ in range(num_iters):
        y = A @ x
        x = y / np.linalg.norm(y)
    return float(np.linalg.norm(A @ x)), x
