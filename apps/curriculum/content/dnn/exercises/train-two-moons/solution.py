import numpy as np


def _forward(X, W1, b1, W2, b2):
    H = np.tanh(X @ W1.T + b1)
    z = (H @ W2.T + b2)[:, 0]
    return H, z


def _loss(z, y):
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def train_mlp(X, y, W1, b1, W2, b2, lr, steps):
    """Full-batch gradient descent on the logistic loss; returns (losses, W1, b1, W2, b2)."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    W1, b1, W2, b2 = (np.array(p, dtype=float) for p in (W1, b1, W2, b2))
    n = X.shape[0]
    losses = np.empty(steps + 1)
    for t in range(steps + 1):
        H, z = _forward(X, W1, b1, W2, b2)
        losses[t] = _loss(z, y)
        if t == steps:
            break
        p = np.exp(-np.logaddexp(0.0, -z))  # sigmoid(z)
        g = ((p - y) / n)[:, None]  # dL/dz, shape (N, 1)
        dW2 = g.T @ H
        db2 = g.sum(axis=0)
        G1 = (g @ W2) * (1.0 - H * H)
        dW1 = G1.T @ X
        db1 = G1.sum(axis=0)
        W1 -= lr * dW1
        b1 -= lr * db1
        W2 -= lr * dW2
        b2 -= lr * db2
    return losses, W1, b1, W2, b2
