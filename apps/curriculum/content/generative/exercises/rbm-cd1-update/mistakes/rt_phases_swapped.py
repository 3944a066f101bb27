# mistake: the update subtracts the data statistics from the model statistics (V1^T P1 - V^T P0 and so on), the sign of every update flipped; data first, model subtracted.
# diagnosis: phases-swapped
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
    W_new = W + lr / N * (V1.T @ P1 - V.T @ P0)
    b_new = b + lr / N * (V1 - V).sum(axis=0)
    c_new = c + lr / N * (P1 - P0).sum(axis=0)
    return W_new, b_new, c_new


def train_rbm(V, W, b, c, lr, u_h, u_v):
    W = np.array(W, dtype=float)
    b = np.array(b, dtype=float)
    c = np.array(c, dtype=float)
    for e in range(len(u_h)):
        W, b, c = cd1_update(V, W, b, c, lr, u_h[e], u_v[e])
    return W, b, c
