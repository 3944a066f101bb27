import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    """Central-difference gradient of the scalar function f at x (same shape as x)."""
    x = np.array(x, dtype=float)  # a float copy: never edit the caller's array
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        f_plus = float(f(x))
        x[index] = original - eps
        f_minus = float(f(x))
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad
