# mistake: ignores the eps argument and always steps by h = 1e-5, so the estimate does not follow the formula for the step the caller asked for; use eps
# diagnosis: ignores-eps
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    h = 1e-5
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[idx] = h
        grad[idx] = (f(x + e) - f(x - e)) / (2 * h)
    return grad
