# mistake: records the Frobenius norm np.linalg.norm(M), which is sqrt(n) for the identity, instead of the spectral norm np.linalg.norm(M, 2)
# diagnosis: frobenius-norm
import numpy as np


def gradient_norms(W, radii, T):
    W = np.asarray(W, dtype=float)
    radii = np.asarray(radii, dtype=float)
    rho = np.abs(np.linalg.eigvals(W)).max()
    G = np.zeros((len(radii), T + 1))
    for k in range(len(radii)):
        Wk = (radii[k] / rho) * W
        M = np.eye(W.shape[0])
        for t in range(T + 1):
            G[k, t] = np.linalg.norm(M)
            M = Wk @ M
    return G
