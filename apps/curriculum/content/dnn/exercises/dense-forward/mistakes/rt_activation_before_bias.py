# mistake: applies the activation to H W^T and adds the bias afterwards, phi(H W^T) + b, instead of phi(H W^T + b)
# diagnosis: bias-after-activation
import numpy as np


def dense_forward(X, weights, biases, activation="relu"):
    H = np.asarray(X, dtype=float)
    L = len(weights)
    for l, (W, b) in enumerate(zip(weights, biases)):
        Z = H @ W.T
        if l < L - 1:
            Z = np.maximum(Z, 0) if activation == "relu" else np.exp(-np.logaddexp(0, -Z))
        H = Z + b
    return H
