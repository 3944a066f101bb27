import numpy as np


def sym_matrix_power(A, t):
    """A^t for a symmetric positive definite A, through its eigendecomposition."""
    A = np.asarray(A, dtype=float)
    lam, Q = np.linalg.eigh(A)
    return (Q * lam**t) @ Q.T
