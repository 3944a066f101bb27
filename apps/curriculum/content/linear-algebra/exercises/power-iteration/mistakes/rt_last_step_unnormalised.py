# mistake: normalises before each multiplication instead of after, so the returned vector is A x_{T-1}, not of unit norm, and the Rayleigh quotient x^T A x is scaled by |lambda|^2; divide by the norm after A @ x
# diagnosis: last-step-unnormalised
import numpy as np


def power_iteration(A, num_iters=100):
    A = np.asarray(A, dtype=float)
    x = np.random.default_rng(0).normal(size=A.shape[0])
    for _ in range(num_iters):
        x = x / np.linalg.norm(x)
        x = A @ x
    return float(x @ A @ x), x
