import numpy as np


def gradient_norms(W, radii, T):
    """Spectral norms of (c_k W)^t for t = 0..T, one row per target spectral radius."""
    W = np.asarray(W, dtype=float)
    radii = np.asarray(radii, dtype=float)
    n = W.shape[0]
    rho = np.abs(np.linalg.eigvals(W)).max()
    norms = np.empty((radii.shape[0], T + 1))
    for k, target in enumerate(radii):
        W_k = (target / rho) * W
        M = np.eye(n)
        for t in range(T + 1):
            norms[k, t] = np.linalg.norm(M, 2)
            M = W_k @ M
    return norms
