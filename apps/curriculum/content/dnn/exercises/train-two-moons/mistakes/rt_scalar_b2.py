# mistake: turns b2 into a Python float at the start (b2 = float(b2[0])) and returns it that way, so the final b2 has shape () instead of the input's shape (1,)
# diagnosis: scalar-b2
import numpy as np


def _loss(X, y, W1, b1, W2, b2):
    H = np.tanh(X @ W1.T + b1)
    z = (H @ W2.T + b2)[:, 0]
    return np.mean(np.logaddexp(0.0, z) - y * z), H, z


def train_mlp(X, y, W1, b1, W2, b2, lr, steps):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    W1, b1, W2 = (np.array(p, dtype=float) for p in (W1, b1, W2))
    b2 = float(np.asarray(b2).ravel()[0])
    N = X.shape[0]
    losses = []
    for _ in range(steps):
        L, H, z = _loss(X, y, W1, b1, W2, b2)
        losses.append(L)
        dz = (0.5 * (1 + np.tanh(z / 2)) - y) / N
        dW2 = dz[None, :] @ H
        G1 = dz[:, None] * W2 * (1 - H**2)
        W1 = W1 - lr * (G1.T @ X)
        b1 = b1 - lr * G1.sum(axis=0)
        W2 = W2 - lr * dW2
        b2 = b2 - lr * float(dz.sum())
    losses.append(_loss(X, y, W1, b1, W2, b2)[0])
    return np.array(losses), W1, b1, W2, b2
