# mistake: scales the columns of W_h by 1 - h^2 (W_h * d) instead of its rows, which computes W_h D_t rather than D_t W_h; use d[:, None] * W_h
# diagnosis: columns-scaled
import numpy as np


def bptt_jacobian_norms(W_h, hs):
    W_h = np.asarray(W_h, dtype=float)
    hs = np.asarray(hs, dtype=float)
    n = W_h.shape[0]
    M = np.eye(n)
    prev = np.zeros(n)
    norms = []
    for h in hs:
        M = (W_h * (1 - h**2)) @ M
        norms.append(np.linalg.norm(M, 2))
        prev = h
    return np.array(norms)
