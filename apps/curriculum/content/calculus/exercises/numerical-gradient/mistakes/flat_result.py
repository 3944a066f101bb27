# diagnosis: flat-result
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    grad = []
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        grad.append((f(x + step) - f(x - step)) / (2 * eps))
    return np.array(grad)
