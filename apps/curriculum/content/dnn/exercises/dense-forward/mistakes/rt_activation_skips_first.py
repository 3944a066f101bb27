# mistake: applies the activation when l > 0 instead of when l < L - 1, so the first hidden layer stays linear and the output layer gets the activation; activate every layer except the last
# diagnosis: activation-skips-first
import numpy as np


def dense_forward(X, weights, biases, activation="relu"):
    H = np.asarray(X, dtype=float)
    for l, (W, b) in enumerate(zip(weights, biases)):
        H = H @ W.T + b
        if l > 0:
            H = np.maximum(H, 0) if activation == "relu" else np.exp(-np.logaddexp(0, -H))
    return H
