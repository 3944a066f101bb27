import numpy as np


def bptt_jacobian_norms(W_h, hs):
    """Spectral norms of dh_t/dh_0 = D_t W_h ... D_1 W_h for t = 1..T, shape (T,)."""
    W_h = np.asarray(W_h, dtype=float)
    hs = np.asarray(hs, dtype=float)
    M = np.eye(W_h.shape[0])
    norms = []
    for _h in hs:
        M = W_h @ M  # TODO: the tanh derivative D_t is missing
        norms.append(np.linalg.norm(M, 2))
    return np.array(norms)
