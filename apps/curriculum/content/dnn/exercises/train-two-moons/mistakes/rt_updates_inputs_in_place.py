# mistake: updates the caller's arrays in place (W1 -= lr * dW1 on np.asarray views), so the returned parameters are right but the initial parameters passed in are destroyed; copy them first (np.array(W1, dtype=float))
# diagnosis: updates-inputs-in-place
import numpy as np


def _loss(X, y, W1, b1, W2, b2):
    H = np.tanh(X @ W1.T + b1)
    z = (H @ W2.T + b2)[:, 0]
    return np.mean(np.logaddexp(0.0, z) - y * z), H, z


def train_mlp(X, y, W1, b1, W2, b2, lr, steps):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    W1, b1, W2, b2 = (np.asarray(p, dtype=float) for p in (W1, b1, W2, b2))
    N = X.shape[0]
    losses = []
    for _ in range(steps):
        L, H, z = _loss(X, y, W1, b1, W2, b2)
        losses.append(L)
        dz = (0.5 * (1 + np.tanh(z / 2)) - y) / N
        dW2 = dz[None, :] @ H
        db2 = np.array([dz.sum()])
        G1 = dz[:, None] * W2 * (1 - H**2)
        dW1 = G1.T @ X
        db1 = G1.sum(axis=0)
        W1 -= lr * dW1
        b1 -= lr * db1
        W2 -= lr * dW2
        b2 -= lr * db2
    losses.append(_loss(X, y, W1, b1, W2, b2)[0])
    return np.array(losses), W1, b1, W2, b2
