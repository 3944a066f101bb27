# mistake: writes the sigmoid as 1 / (1 + e^{z}) (stably, as exp(-logaddexp(0, z))), which is sigma(-z); the sigmoid is 1 / (1 + e^{-z}) = exp(-logaddexp(0, -z))
# diagnosis: sigmoid-sign
import numpy as np


def dense_forward(X, weights, biases, activation="relu"):
    H = np.asarray(X, dtype=float)
    L = len(weights)
    for l, (W, b) in enumerate(zip(weights, biases)):
        H = H @ W.T + b
        if l < L - 1:
            H = np.maximum(H, 0) if activation == "relu" else np.exp(-np.logaddexp(0, H))
    return H
