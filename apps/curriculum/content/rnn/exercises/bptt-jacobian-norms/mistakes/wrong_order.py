# diagnosis: reversed-product
import numpy as np


def bptt_jacobian_norms(W_h, hs):
    M = np.eye(W_h.shape[0])
    out = []
    for h in hs:
        M = M @ ((1.0 - h**2)[:, None] * W_h)
        out.append(np.linalg.norm(M, 2))
    return np.array(out)
