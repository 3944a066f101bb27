# mistake: takes the spectral radius as the largest real part of the eigenvalues instead of the largest modulus, which is wrong for complex or negative eigenvalues; use np.abs(np.linalg.eigvals(W)).max()
# diagnosis: radius-from-real-part
import numpy as np


def gradient_norms(W, radii, T):
    W = np.asarray(W, dtype=float)
    radii = np.asarray(radii, dtype=float)
    rho = np.linalg.eigvals(W).real.max()
    G = np.zeros((len(radii), T + 1))
    for k in range(len(radii)):
        Wk = (radii[k] / rho) * W
        M = np.eye(W.shape[0])
        for t in range(T + 1):
            G[k, t] = np.linalg.norm(M, 2)
            M = Wk @ M
    return G
