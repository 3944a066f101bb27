# diagnosis: activation-on-output
import numpy as np


def dense_forward(X, weights, biases, activation="relu"):
    H = np.asarray(X, dtype=float)
    for W, b in zip(weights, biases, strict=False):
        Z = H @ W.T + b
        H = np.maximum(Z, 0.0) if activation == "relu" else 1.0 / (1.0 + np.exp(-Z))
    return H
