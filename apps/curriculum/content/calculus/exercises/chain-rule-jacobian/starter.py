import numpy as np


def tanh_layer_jacobian(W, b, x):
    """Jacobian of tanh(W x + b) with respect to x: shape (m, n)."""
    W = np.asarray(W, dtype=float)
    # TODO: the linear part's Jacobian is W; what does the tanh contribute?
    return W


def two_layer_jacobian(W1, b1, W2, b2, x):
    """Jacobian of tanh(W2 tanh(W1 x + b1) + b2) with respect to x: shape (k, n)."""
    # TODO: chain the two layers' Jacobians.
    return np.asarray(W2, dtype=float) @ np.asarray(W1, dtype=float)
