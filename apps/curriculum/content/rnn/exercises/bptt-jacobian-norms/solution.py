import numpy as np


def bptt_jacobian_norms(W_h, hs):
    """Spectral norms of dh_t/dh_0 = D_t W_h ... D_1 W_h for t = 1..T, shape (T,)."""
    W_h = np.asarray(W_h, dtype=float)
    hs = np.asarray(hs, dtype=float)
    M = np.eye(W_h.shape[0])
    norms = np.empty(hs.shape[0])
    for t, h in enumerate(hs):
        M = ((1.0 - h**2)[:, None] * W_h) @ M
        norms[t] = np.linalg.norm(M, 2)
    return norms
