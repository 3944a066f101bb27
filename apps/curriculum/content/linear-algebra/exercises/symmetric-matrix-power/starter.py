import numpy as np


def sym_matrix_power(A, t):
    """A^t for a symmetric positive definite A, through its eigendecomposition."""
    A = np.asarray(A, dtype=float)
    # TODO: this raises each entry to the power t, which is not a matrix power.
    return A**t
