# mistake: divides the central difference f(x + eps e_i) - f(x - eps e_i) by eps instead of 2 eps, so the gradient is twice too large
# diagnosis: divides-by-eps
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[idx] = eps
        grad[idx] = (f(x + e) - f(x - e)) / eps
    return grad
