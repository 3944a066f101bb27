import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    """Central-difference gradient of the scalar function f at x (same shape as x)."""
    x = np.asarray(x)
    grad = np.zeros(x.size)
    flat = x.ravel()
    for i in range(x.size):
        step = np.zeros(x.size)
        step[i] = eps
        # TODO: this is a forward difference, and the result has the wrong shape.
        grad[i] = (f((flat + step).reshape(x.shape)) - f(x)) / eps
    return grad
