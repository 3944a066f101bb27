# mistake: loops over range(T) and allocates T columns, so the last power W_k^T is missing; there are T + 1 entries, t = 0, ..., T
# diagnosis: t-columns
import numpy as np


def gradient_norms(W, radii, T):
    W = np.asarray(W, dtype=float)
    radii = np.asarray(radii, dtype=float)
    rho = np.abs(np.linalg.eigvals(W)).max()
    G = np.zeros((len(radii), T))
    for k in range(len(radii)):
        Wk = (radii[k] / rho) * W
        M = np.eye(W.shape[0])
        for t in range(T):
            G[k, t] = np.linalg.norm(M, 2)
            M = Wk @ M
    return G
