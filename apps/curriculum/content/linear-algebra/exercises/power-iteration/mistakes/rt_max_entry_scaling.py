# mistake: rescales by the largest entry (x / max(x)) as in some textbooks and returns that vector, which is not of unit norm, and divides by a negative max for a negative eigenvalue; divide by np.linalg.norm(x)
# diagnosis: max-entry-scaling
import numpy as np


def power_iteration(A, num_iters=100):
    A = np.asarray(A, dtype=float)
    x = np.random.default_rng(0).normal(size=A.shape[0])
    for _ in range(num_iters):
        x = A @ x
        x = x / x[np.argmax(np.abs(x))]
    lam = float(x @ A @ x / (x @ x))
    return lam, x
