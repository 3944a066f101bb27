import numpy as np


def train_mlp(X, y, W1, b1, W2, b2, lr, steps):
    """Full-batch gradient descent on the logistic loss of a tanh network.

    H = tanh(X @ W1.T + b1), z = (H @ W2.T + b2)[:, 0], L = mean(log(1 + e^z) - y z).
    Returns (losses, W1, b1, W2, b2) with losses of shape (steps + 1,), losses[t] = L after t updates.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    W1, b1, W2, b2 = (np.array(p, dtype=float) for p in (W1, b1, W2, b2))
    losses = []
    for _ in range(steps):
        H = np.tanh(X @ W1.T + b1)
        z = (H @ W2.T + b2)[:, 0]
        losses.append(np.mean(np.logaddexp(0.0, z) - y * z))
        # TODO: compute the gradients and update W1, b1, W2, b2.
    return np.array(losses), W1, b1, W2, b2
