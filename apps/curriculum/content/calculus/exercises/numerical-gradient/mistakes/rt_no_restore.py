# mistake: nudges x[i] up by eps and then down by 2 eps but never restores it, so every later partial derivative is taken at a shifted point (and the caller's array is changed); set x[i] back to its old value after the two evaluations
# diagnosis: no-restore
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        x[idx] += eps
        fp = f(x)
        x[idx] -= 2 * eps
        fm = f(x)
        grad[idx] = (fp - fm) / (2 * eps)
    return grad
