import numpy as np


def two_layer_gradients(X, Y, W1, b1, W2, b2):
    """Gradients (dW1, db1, dW2, db2) of the mean squared error of a tanh two-layer network."""
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    n = X.shape[0]
    H = np.tanh(X @ W1.T + b1)  # (N, d1)
    Yhat = H @ W2.T + b2  # (N, d2)
    G2 = (Yhat - Y) / n  # dL/dYhat
    dW2 = G2.T @ H
    db2 = G2.sum(axis=0)
    G1 = (G2 @ W2) * (1.0 - H * H)  # dL/dZ1
    dW1 = G1.T @ X
    db1 = G1.sum(axis=0)
    return dW1, db1, dW2, db2
