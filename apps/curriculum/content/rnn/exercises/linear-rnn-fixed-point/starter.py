import numpy as np


def linear_rnn_fixed_point(W, b):
    """Fixed point of h_t = W h_{t-1} + b, the spectral radius of W, and whether it is stable."""
    W = np.asarray(W, dtype=float)
    b = np.asarray(b, dtype=float)
    h_star = b.copy()  # TODO: solve for the state that the update leaves unchanged
    rho = 0.0  # TODO: spectral radius of the Jacobian
    return h_star, rho, rho < 1
