# diagnosis: no-initial-loss
import numpy as np


def train_mlp(X, y, W1, b1, W2, b2, lr, steps):
    W1, b1, W2, b2 = (np.array(p, dtype=float) for p in (W1, b1, W2, b2))
    n = X.shape[0]
    losses = []
    for _ in range(steps):
        H = np.tanh(X @ W1.T + b1)
        z = (H @ W2.T + b2)[:, 0]
        g = ((1.0 / (1.0 + np.exp(-z)) - y) / n)[:, None]
        G1 = (g @ W2) * (1.0 - H * H)
        W2, b2 = W2 - lr * g.T @ H, b2 - lr * g.sum(axis=0)
        W1, b1 = W1 - lr * G1.T @ X, b1 - lr * G1.sum(axis=0)
        H = np.tanh(X @ W1.T + b1)
        z = (H @ W2.T + b2)[:, 0]
        losses.append(np.mean(np.logaddexp(0.0, z) - y * z))
    return np.array(losses), W1, b1, W2, b2
