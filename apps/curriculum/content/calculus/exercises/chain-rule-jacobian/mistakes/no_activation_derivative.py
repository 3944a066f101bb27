# diagnosis: no-activation-derivative
import numpy as np


def tanh_layer_jacobian(W, b, x):
    return np.asarray(W, dtype=float)


def two_layer_jacobian(W1, b1, W2, b2, x):
    return np.asarray(W2, dtype=float) @ np.asarray(W1, dtype=float)
