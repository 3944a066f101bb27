import numpy as np


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def cd1_update(V, W, b, c, lr, u_h, u_v):
    """One step of CD-1 on the batch V, sampling with the given uniforms."""
    V = np.asarray(V, dtype=float)
    # TODO: hidden probabilities P0 = _sigmoid(V @ W + c), hidden samples, a reconstruction,
    # hidden probabilities of the reconstruction, and the update of W, b and c
    return W, b, c


def train_rbm(V, W, b, c, lr, u_h, u_v):
    """Full-batch CD-1 for u_h.shape[0] steps."""
    # TODO: one cd1_update per step e, with u_h[e] and u_v[e]
    return W, b, c
