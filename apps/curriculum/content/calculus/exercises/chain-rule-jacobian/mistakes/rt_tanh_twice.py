# mistake: computes the derivative as 1 - tanh(h)^2 with h already equal to tanh(z), applying tanh twice; the factor is 1 - h^2 = 1 - tanh(z)^2
# diagnosis: tanh-twice
import numpy as np


def tanh_layer_jacobian(W, b, x):
    W = np.asarray(W, dtype=float)
    h = np.tanh(W @ x + b)
    return (1 - np.tanh(h) ** 2)[:, None] * W


def two_layer_jacobian(W1, b1, W2, b2, x):
    h1 = np.tanh(np.asarray(W1, float) @ x + b1)
    return tanh_layer_jacobian(W2, b2, h1) @ tanh_layer_jacobian(W1, b1, x)
