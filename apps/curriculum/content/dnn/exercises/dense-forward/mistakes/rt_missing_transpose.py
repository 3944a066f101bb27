# mistake: multiplies H @ W instead of H @ W.T; weights[l] has shape (d_{l+1}, d_l), so the batch product needs the transpose
# diagnosis: missing-transpose
import numpy as np


def dense_forward(X, weights, biases, activation="relu"):
    H = np.asarray(X, dtype=float)
    L = len(weights)
    for l, (W, b) in enumerate(zip(weights, biases)):
        H = H @ W + b
        if l < L - 1:
            H = np.maximum(H, 0) if activation == "relu" else np.exp(-np.logaddexp(0, -H))
    return H
