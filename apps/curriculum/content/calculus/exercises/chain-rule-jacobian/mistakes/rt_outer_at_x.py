# mistake: two_layer_jacobian evaluates the second layer's Jacobian at the input x instead of at the hidden activation h1 = tanh(W1 x + b1); J = J2(h1) @ J1(x)
# diagnosis: outer-at-x
import numpy as np


def tanh_layer_jacobian(W, b, x):
    W = np.asarray(W, dtype=float)
    h = np.tanh(W @ x + b)
    return (1 - h**2)[:, None] * W


def two_layer_jacobian(W1, b1, W2, b2, x):
    return tanh_layer_jacobian(W2, b2, x) @ tanh_layer_jacobian(W1, b1, x)
