import numpy as np


def power_iteration(A, num_iters=100):
    """Return (eigenvalue, unit eigenvector) for the dominant eigenvalue of A."""
    A = np.asarray(A, dtype=float)
    x = np.random.default_rng(0).normal(size=A.shape[0])
    for _ in range(num_iters):
        x = A @ x
        # TODO: keep x from growing or shrinking without bound.
    eigenvalue = 0.0  # TODO: estimate the eigenvalue from x
    return eigenvalue, x
