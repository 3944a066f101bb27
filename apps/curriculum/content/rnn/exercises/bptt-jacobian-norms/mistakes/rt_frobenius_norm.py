# mistake: records the Frobenius norm np.linalg.norm(M) instead of the spectral norm np.linalg.norm(M, 2), the largest singular value
# diagnosis: frobenius-norm
import numpy as np


def bptt_jacobian_norms(W_h, hs):
    W_h = np.asarray(W_h, dtype=float)
    hs = np.asarray(hs, dtype=float)
    n = W_h.shape[0]
    M = np.eye(n)
    prev = np.zeros(n)
    norms = []
    for h in hs:
        M = ((1 - h**2)[:, None] * W_h) @ M
        norms.append(np.linalg.norm(M))
        prev = h
    return np.array(norms)
