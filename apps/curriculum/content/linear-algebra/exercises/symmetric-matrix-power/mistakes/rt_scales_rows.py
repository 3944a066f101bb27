# mistake: scales the rows of Q.T instead of the columns of Q, (Q.T * lam**t) @ Q, which pairs each eigenvalue with the wrong coordinate; use (Q * lam**t) @ Q.T
# diagnosis: scales-rows
import numpy as np


def sym_matrix_power(A, t):
    A = np.asarray(A, dtype=float)
    lam, Q = np.linalg.eigh(A)
    return (Q.T * lam**t) @ Q
