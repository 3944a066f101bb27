import numpy as np


def _activate(z, activation):
    if activation == "relu":
        return np.maximum(z, 0.0)
    if activation == "sigmoid":
        # 1 / (1 + exp(-z)) without overflow: exp(-log(1 + exp(-z))).
        return np.exp(-np.logaddexp(0.0, -z))
    raise ValueError(f"unknown activation {activation!r}")


def dense_forward(X, weights, biases, activation="relu"):
    """Output of the dense network on the batch X, shape (N, d_L); the last layer is linear."""
    H = np.asarray(X, dtype=float)
    last = len(weights) - 1
    for index, (W, b) in enumerate(zip(weights, biases, strict=True)):
        Z = H @ np.asarray(W, dtype=float).T + np.asarray(b, dtype=float)
        H = Z if index == last else _activate(Z, activation)
    return H
