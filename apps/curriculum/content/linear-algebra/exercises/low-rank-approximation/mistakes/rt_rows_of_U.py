# mistake: in the loop takes u_i as the row U[i] instead of the column U[:, i], so the terms s_i u_i v_i^T are built from the wrong vectors; use U[:, i]
# diagnosis: u-rows
import numpy as np


def low_rank_approximation(M, k):
    M = np.asarray(M, dtype=float)
    U, s, Vt = np.linalg.svd(M)
    out = np.zeros(M.shape)
    for i in range(k):
        out += s[i] * np.outer(U[i, : M.shape[0]], Vt[i])
    return out
