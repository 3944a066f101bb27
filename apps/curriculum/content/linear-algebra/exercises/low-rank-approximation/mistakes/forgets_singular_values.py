# diagnosis: no-singular-values
import numpy as np


def low_rank_approximation(M, k):
    U, _s, Vt = np.linalg.svd(np.asarray(M, dtype=float), full_matrices=False)
    return U[:, :k] @ Vt[:k]
