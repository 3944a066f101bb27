# mistake: uses 1 - Z^2 with the pre-activation Z = X W1^T + b1 instead of 1 - H^2 with H = tanh(Z); tanh'(z) = 1 - tanh(z)^2
# diagnosis: tanh-derivative-of-z
import numpy as np


def two_layer_gradients(X, Y, W1, b1, W2, b2):
    X = np.asarray(X, dtype=float)
    N = X.shape[0]
    Z = X @ W1.T + b1
    H = np.tanh(Z)
    G2 = (H @ W2.T + b2 - Y) / N
    G1 = (G2 @ W2) * (1 - Z**2)
    return G1.T @ X, G1.sum(axis=0), G2.T @ H, G2.sum(axis=0)
