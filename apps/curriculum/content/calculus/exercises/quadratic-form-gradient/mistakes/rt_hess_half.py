# mistake: returns the symmetric part (A + A^T) / 2 as the Hessian, half the true Hessian A + A^T
# diagnosis: hessian-half
import numpy as np


def quadratic_derivatives(A, b, x):
    A, b, x = (np.asarray(v, dtype=float) for v in (A, b, x))
    value = float(x @ A @ x + b @ x)
    grad = (A + A.T) @ x + b
    return value, grad, (A + A.T) / 2
