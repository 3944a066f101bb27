# mistake: gets the gradient right but returns the Hessian 2A, which is not symmetric when A is not; differentiating (A + A^T) x + b gives A + A^T
# diagnosis: hessian-two-a
import numpy as np


def quadratic_derivatives(A, b, x):
    A, b, x = (np.asarray(v, dtype=float) for v in (A, b, x))
    value = float(x @ A @ x + b @ x)
    grad = (A + A.T) @ x + b
    return value, grad, 2 * A
