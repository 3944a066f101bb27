import numpy as np


def _sigmoid(x):
    with np.errstate(over="ignore"):  # exp(-x) = inf for x < -709 gives exactly 0
        return 1.0 / (1.0 + np.exp(-x))


def cd1_update(V, W, b, c, lr, u_h, u_v):
    """One step of CD-1 on the batch V, sampling with the given uniforms."""
    V = np.asarray(V, dtype=float)
    p0 = _sigmoid(V @ W + c)
    h0 = (u_h < p0).astype(float)
    v1 = (u_v < _sigmoid(h0 @ W.T + b)).astype(float)
    p1 = _sigmoid(v1 @ W + c)
    n = V.shape[0]
    W_new = W + lr * (V.T @ p0 - v1.T @ p1) / n
    b_new = b + lr * (V - v1).mean(axis=0)
    c_new = c + lr * (p0 - p1).mean(axis=0)
    return W_new, b_new, c_new


def train_rbm(V, W, b, c, lr, u_h, u_v):
    """Full-batch CD-1 for u_h.shape[0] steps."""
    for e in range(u_h.shape[0]):
        W, b, c = cd1_update(V, W, b, c, lr, u_h[e], u_v[e])
    return W, b, c
