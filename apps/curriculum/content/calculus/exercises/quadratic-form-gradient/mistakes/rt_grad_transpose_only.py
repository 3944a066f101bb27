# mistake: differentiates x^T A x as 2 A^T x, which like 2 A x is right only for symmetric A; the gradient is (A + A^T) x + b
# diagnosis: grad-transpose-only
import numpy as np


def quadratic_derivatives(A, b, x):
    A, b, x = (np.asarray(v, dtype=float) for v in (A, b, x))
    value = float(x @ A @ x + b @ x)
    grad = 2 * A.T @ x + b
    return value, grad, A + A.T
