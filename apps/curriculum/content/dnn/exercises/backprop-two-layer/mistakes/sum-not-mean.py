# diagnosis: sum-not-mean
import numpy as np


def two_layer_gradients(X, Y, W1, b1, W2, b2):
    H = np.tanh(X @ W1.T + b1)
    G2 = H @ W2.T + b2 - Y
    G1 = (G2 @ W2) * (1.0 - H * H)
    return G1.T @ X, G1.sum(axis=0), G2.T @ H, G2.sum(axis=0)
