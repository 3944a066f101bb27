# diagnosis: drops-t0
import numpy as np


def gradient_norms(W, radii, T):
    W = np.asarray(W, dtype=float)
    rho = np.abs(np.linalg.eigvals(W)).max()
    out = np.empty((len(radii), T))
    for k, target in enumerate(radii):
        W_k = (target / rho) * W
        M = np.eye(W.shape[0])
        for t in range(T):
            M = W_k @ M
            out[k, t] = np.linalg.norm(M, 2)
    return out
