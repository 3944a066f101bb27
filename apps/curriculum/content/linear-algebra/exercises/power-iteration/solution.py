import numpy as np


def power_iteration(A, num_iters=100):
    """Return (eigenvalue, unit eigenvector) for the dominant eigenvalue of A."""
    A = np.asarray(A, dtype=float)
    x = np.random.default_rng(0).normal(size=A.shape[0])
    x /= np.linalg.norm(x)
    for _ in range(num_iters):
        y = A @ x
        norm = np.linalg.norm(y)
        if norm == 0.0:
            break
        x = y / norm
    eigenvalue = float(x @ A @ x)
    return eigenvalue, x
