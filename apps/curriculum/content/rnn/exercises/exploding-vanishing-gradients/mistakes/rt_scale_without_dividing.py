# mistake: scales W by radii[k] instead of radii[k] / rho(W), so W_k has spectral radius radii[k] * rho(W), not radii[k]; divide by the current spectral radius
# diagnosis: not-divided-by-radius
import numpy as np


def gradient_norms(W, radii, T):
    W = np.asarray(W, dtype=float)
    radii = np.asarray(radii, dtype=float)
    rho = np.abs(np.linalg.eigvals(W)).max()
    G = np.zeros((len(radii), T + 1))
    for k in range(len(radii)):
        Wk = radii[k] * W
        M = np.eye(W.shape[0])
        for t in range(T + 1):
            G[k, t] = np.linalg.norm(M, 2)
            M = Wk @ M
    return G
