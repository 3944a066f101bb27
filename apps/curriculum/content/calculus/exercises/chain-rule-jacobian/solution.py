import numpy as np


def tanh_layer_jacobian(W, b, x):
    """Jacobian of tanh(W x + b) with respect to x: shape (m, n)."""
    W = np.asarray(W, dtype=float)
    h = np.tanh(W @ np.asarray(x, dtype=float) + np.asarray(b, dtype=float))
    return (1.0 - h**2)[:, None] * W


def two_layer_jacobian(W1, b1, W2, b2, x):
    """Jacobian of tanh(W2 tanh(W1 x + b1) + b2) with respect to x: shape (k, n)."""
    h1 = np.tanh(
        np.asarray(W1, dtype=float) @ np.asarray(x, dtype=float) + np.asarray(b1, dtype=float)
    )
    return tanh_layer_jacobian(W2, b2, h1) @ tanh_layer_jacobian(W1, b1, x)
