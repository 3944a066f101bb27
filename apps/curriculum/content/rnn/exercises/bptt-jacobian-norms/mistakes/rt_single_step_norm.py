# mistake: records the norm of the current step Jacobian J_t = D_t W_h instead of the accumulated product J_t ... J_1; keep a running product M = J_t @ M
# diagnosis: single-step-jacobian
import numpy as np


def bptt_jacobian_norms(W_h, hs):
    W_h = np.asarray(W_h, dtype=float)
    hs = np.asarray(hs, dtype=float)
    n = W_h.shape[0]
    M = np.eye(n)
    prev = np.zeros(n)
    norms = []
    for h in hs:
        J = (1 - h**2)[:, None] * W_h
        M = J
        norms.append(np.linalg.norm(M, 2))
        prev = h
    return np.array(norms)
