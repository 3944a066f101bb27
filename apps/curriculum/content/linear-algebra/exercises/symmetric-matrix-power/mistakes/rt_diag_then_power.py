# mistake: raises the whole diagonal matrix to the power, np.diag(lam) ** t, which also raises its zeros (0 ** -1 = inf, 0 ** 0 = 1); build np.diag(lam ** t) instead
# diagnosis: diag-then-power
import numpy as np


def sym_matrix_power(A, t):
    A = np.asarray(A, dtype=float)
    lam, Q = np.linalg.eigh(A)
    return Q @ np.diag(lam) ** t @ Q.T
