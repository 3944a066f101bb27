# mistake: uses 1 - z^2 with the pre-activation z = W x + b instead of 1 - tanh(z)^2; square the activation h = tanh(z), not z
# diagnosis: pre-activation-squared
import numpy as np


def tanh_layer_jacobian(W, b, x):
    W = np.asarray(W, dtype=float)
    z = W @ x + b
    return (1 - z**2)[:, None] * W


def two_layer_jacobian(W1, b1, W2, b2, x):
    h1 = np.tanh(np.asarray(W1, float) @ x + b1)
    return tanh_layer_jacobian(W2, b2, h1) @ tanh_layer_jacobian(W1, b1, x)
