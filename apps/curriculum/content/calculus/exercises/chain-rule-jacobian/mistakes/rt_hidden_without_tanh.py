# mistake: two_layer_jacobian evaluates the second layer at the pre-activation W1 x + b1 instead of the hidden activation h1 = tanh(W1 x + b1)
# diagnosis: hidden-without-tanh
import numpy as np


def tanh_layer_jacobian(W, b, x):
    W = np.asarray(W, dtype=float)
    h = np.tanh(W @ x + b)
    return (1 - h**2)[:, None] * W


def two_layer_jacobian(W1, b1, W2, b2, x):
    z1 = np.asarray(W1, float) @ x + b1
    return tanh_layer_jacobian(W2, b2, z1) @ tanh_layer_jacobian(W1, b1, x)
