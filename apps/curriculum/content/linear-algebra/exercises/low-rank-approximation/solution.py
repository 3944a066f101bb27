import numpy as np


def low_rank_approximation(M, k):
    """The best rank-k approximation of M (same shape as M)."""
    M = np.asarray(M, dtype=float)
    U, s, Vt = np.linalg.svd(M, full_matrices=False)
    return (U[:, :k] * s[:k]) @ Vt[:k]
