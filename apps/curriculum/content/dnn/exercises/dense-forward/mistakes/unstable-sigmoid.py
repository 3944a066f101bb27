# diagnosis: naive-sigmoid
import numpy as np


def dense_forward(X, weights, biases, activation="relu"):
    H = np.asarray(X, dtype=float)
    last = len(weights) - 1
    for index, (W, b) in enumerate(zip(weights, biases, strict=False)):
        Z = H @ W.T + b
        if index < last:
            if activation == "relu":
                H = np.maximum(Z, 0.0)
            else:
                e = np.exp(Z)
                H = e / (1.0 + e)
        else:
            H = Z
    return H
