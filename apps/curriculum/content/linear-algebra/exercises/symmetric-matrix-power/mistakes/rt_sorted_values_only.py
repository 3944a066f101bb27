# mistake: re-sorts the eigenvalues into descending order without reordering the eigenvectors, so each lambda_i^t is paired with the wrong column of Q; keep eigh's pairs together (or sort both with one argsort)
# diagnosis: unpaired-sort
import numpy as np


def sym_matrix_power(A, t):
    A = np.asarray(A, dtype=float)
    lam, Q = np.linalg.eigh(A)
    lam = np.sort(lam)[::-1]
    return Q @ np.diag(lam**t) @ Q.T
