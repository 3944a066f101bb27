# mistake: evaluates the tanh derivative at the previous state, 1 - h_{t-1}^2 (with h_0 taken as 0), instead of at the step's output h_t; D_t = diag(1 - h_t^2) with h_t = hs[t - 1]
# diagnosis: derivative-at-previous-state
import numpy as np


def bptt_jacobian_norms(W_h, hs):
    W_h = np.asarray(W_h, dtype=float)
    hs = np.asarray(hs, dtype=float)
    n = W_h.shape[0]
    M = np.eye(n)
    prev = np.zeros(n)
    norms = []
    for h in hs:
        M = ((1 - prev**2)[:, None] * W_h) @ M
        norms.append(np.linalg.norm(M, 2))
        prev = h
    return np.array(norms)
