# mistake: loops over range(len(x)) and nudges x[i], which for a matrix is a whole row, so every entry of row i gets the directional derivative along that row (and a plain number has no len); loop over np.ndindex(x.shape)
# diagnosis: first-axis-only
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(len(x)):
        xp = x.copy()
        xm = x.copy()
        xp[i] += eps
        xm[i] -= eps
        grad[i] = (f(xp) - f(xm)) / (2 * eps)
    return grad
