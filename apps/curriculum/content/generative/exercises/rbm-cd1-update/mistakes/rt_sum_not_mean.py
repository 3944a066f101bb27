# mistake: the updates sum the statistics over the batch instead of averaging them (no 1/N); multiply by lr / N.
# diagnosis: sum-not-mean
import numpy as np


def _sig(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def cd1_update(V, W, b, c, lr, u_h, u_v):
    V = np.asarray(V, dtype=float)
    W = np.asarray(W, dtype=float)
    b = np.asarray(b, dtype=float)
    c = np.asarray(c, dtype=float)
    N = V.shape[0]
    P0 = _sig(V @ W + c)
    H0 = (np.asarray(u_h) < P0).astype(float)
    V1 = (np.asarray(u_v) < _sig(H0 @ W.T + b)).astype(float)
    P1 = _sig(V1 @ W + c)
    W_new = W + lr * (V.T @ P0 - V1.T @ P1)
    b_new = b + lr * (V - V1).sum(axis=0)
    c_new = c + lr * (P0 - P1).sum(axis=0)
    return W_new, b_new, c_new


def train_rbm(V, W, b, c, lr, u_h, u_v):
    W = np.array(W, dtype=float)
    b = np.array(b, dtype=float)
    c = np.array(c, dtype=float)
    for e in range(len(u_h)):
        W, b, c = cd1_update(V, W, b, c, lr, u_h[e], u_v[e])
    return W, b, c
