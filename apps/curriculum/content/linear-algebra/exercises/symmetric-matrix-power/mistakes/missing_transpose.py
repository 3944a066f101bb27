# diagnosis: missing-transpose
import numpy as np


def sym_matrix_power(A, t):
    lam, Q = np.linalg.eigh(np.asarray(A, dtype=float))
    return (Q * lam**t) @ Q
