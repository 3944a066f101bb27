import numpy as np


def quadratic_derivatives(A, b, x):
    """(f(x), gradient, Hessian) for f(x) = x^T A x + b^T x."""
    A, b, x = (np.asarray(v, dtype=float) for v in (A, b, x))
    value = float(x @ A @ x + b @ x)
    grad = A @ x + b  # TODO: differentiate x^T A x properly
    hess = A  # TODO
    return value, grad, hess
