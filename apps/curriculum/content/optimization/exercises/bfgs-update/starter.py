import numpy as np


def bfgs_update(M, s, y):
    """BFGS update of the inverse-Hessian approximation; M unchanged if y.s is not positive."""
    M = np.asarray(M, dtype=float)
    # TODO: the BFGS formula, and the skip when the curvature condition fails.
    return M.copy()
