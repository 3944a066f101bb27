# diagnosis: not-averaged
import numpy as np


def train_mlp(X, y, W1, b1, W2, b2, lr, steps):
    W1, b1, W2, b2 = (np.array(p, dtype=float) for p in (W1, b1, W2, b2))
    losses = []
    for t in range(steps + 1):
        H = np.tanh(X @ W1.T + b1)
        z = (H @ W2.T + b2)[:, 0]
        losses.append(np.mean(np.logaddexp(0.0, z) - y * z))
        if t == steps:
            break
        g = (1.0 / (1.0 + np.exp(-z)) - y)[:, None]
        G1 = (g @ W2) * (1.0 - H * H)
        W2, b2 = W2 - lr * g.T @ H, b2 - lr * g.sum(axis=0)
        W1, b1 = W1 - lr * G1.T @ X, b1 - lr * G1.sum(axis=0)
    return np.array(losses), W1, b1, W2, b2
