# mistake: takes the right singular vectors as columns of Vt (Vt[:, :k].T) instead of its rows; the v_i are the rows of Vt, so use Vt[:k]
# diagnosis: vt-columns
import numpy as np


def low_rank_approximation(M, k):
    M = np.asarray(M, dtype=float)
    U, s, Vt = np.linalg.svd(M, full_matrices=False)
    return (U[:, :k] * s[:k]) @ Vt[:, :k].T
