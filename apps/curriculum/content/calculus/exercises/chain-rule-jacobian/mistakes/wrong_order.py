# diagnosis: inner-first
import numpy as np


def tanh_layer_jacobian(W, b, x):
    W = np.asarray(W, dtype=float)
    h = np.tanh(W @ x + b)
    return (1.0 - h**2)[:, None] * W


def two_layer_jacobian(W1, b1, W2, b2, x):
    h1 = np.tanh(W1 @ x + b1)
    J1 = tanh_layer_jacobian(W1, b1, x)
    J2 = tanh_layer_jacobian(W2, b2, h1)
    return J1 @ J2
