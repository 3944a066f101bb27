# mistake: the value leaves out the linear term, returning x^T A x instead of x^T A x + b^T x
# diagnosis: value-missing-b
import numpy as np


def quadratic_derivatives(A, b, x):
    A, b, x = (np.asarray(v, dtype=float) for v in (A, b, x))
    value = float(x @ A @ x)
    grad = (A + A.T) @ x + b
    return value, grad, A + A.T
