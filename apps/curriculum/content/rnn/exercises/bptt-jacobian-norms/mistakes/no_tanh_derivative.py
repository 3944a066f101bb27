# diagnosis: no-tanh-derivative
import numpy as np


def bptt_jacobian_norms(W_h, hs):
    M = np.eye(W_h.shape[0])
    out = []
    for _h in hs:
        M = W_h @ M
        out.append(np.linalg.norm(M, 2))
    return np.array(out)
