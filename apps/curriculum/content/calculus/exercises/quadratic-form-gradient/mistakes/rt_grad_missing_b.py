# mistake: drops the linear term from the gradient, returning (A + A^T) x instead of (A + A^T) x + b
# diagnosis: grad-missing-b
import numpy as np


def quadratic_derivatives(A, b, x):
    A, b, x = (np.asarray(v, dtype=float) for v in (A, b, x))
    value = float(x @ A @ x + b @ x)
    grad = (A + A.T) @ x
    return value, grad, A + A.T
