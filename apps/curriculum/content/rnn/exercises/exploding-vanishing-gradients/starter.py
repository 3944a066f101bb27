import numpy as np


def gradient_norms(W, radii, T):
    """Spectral norms of (c_k W)^t for t = 0..T, one row per target spectral radius."""
    radii = np.asarray(radii, dtype=float)
    t = np.arange(T + 1)
    # TODO: this is the asymptotic rate only; compute the norm of the actual matrix power.
    return radii[:, None] ** t[None, :]
