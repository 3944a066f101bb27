# diagnosis: columns-scaled
import numpy as np


def tanh_layer_jacobian(W, b, x):
    W = np.asarray(W, dtype=float)
    h = np.tanh(W @ x + b)
    return W * (1.0 - h**2)  # broadcasts over the last axis: scales columns


def two_layer_jacobian(W1, b1, W2, b2, x):
    h1 = np.tanh(W1 @ x + b1)
    return tanh_layer_jacobian(W2, b2, h1) @ tanh_layer_jacobian(W1, b1, x)
