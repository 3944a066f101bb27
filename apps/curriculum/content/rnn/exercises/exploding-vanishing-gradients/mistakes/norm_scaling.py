# diagnosis: scaled-by-norm
import numpy as np


def gradient_norms(W, radii, T):
    W = np.asarray(W, dtype=float)
    out = np.empty((len(radii), T + 1))
    for k, target in enumerate(radii):
        W_k = (target / np.linalg.norm(W, 2)) * W
        M = np.eye(W.shape[0])
        for t in range(T + 1):
            out[k, t] = np.linalg.norm(M, 2)
            M = W_k @ M
    return out
