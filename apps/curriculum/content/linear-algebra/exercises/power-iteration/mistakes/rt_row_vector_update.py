# mistake: multiplies the row vector x @ A instead of A @ x, which converges to a left eigenvector (an eigenvector of A.T); for a non-symmetric A iterate x = A @ x
# diagnosis: left-eigenvector
import numpy as np


def power_iteration(A, num_iters=100):
    A = np.asarray(A, dtype=float)
    x = np.random.default_rng(0).normal(size=A.shape[0])
    for _ in range(num_iters):
        x = x @ A
        x = x / np.linalg.norm(x)
    return float(x @ A @ x), x
