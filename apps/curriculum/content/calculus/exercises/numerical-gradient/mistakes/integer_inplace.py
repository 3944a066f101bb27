# diagnosis: integer-in-place
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    x = np.array(x)  # keeps an integer dtype
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        f_plus = f(x)
        x[index] = original - eps
        f_minus = f(x)
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad
