import numpy as np


def linear_rnn_fixed_point(W, b):
    """Fixed point of h_t = W h_{t-1} + b, the spectral radius of W, and whether it is stable."""
    W = np.asarray(W, dtype=float)
    b = np.asarray(b, dtype=float)
    n = W.shape[0]
    h_star = np.linalg.solve(np.eye(n) - W, b)
    rho = float(np.abs(np.linalg.eigvals(W)).max())
    return h_star, rho, bool(rho < 1)
