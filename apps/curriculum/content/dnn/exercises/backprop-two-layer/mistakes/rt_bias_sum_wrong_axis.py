# mistake: sums the hidden error over axis 1 (the units) instead of axis 0 (the samples) for db1, giving one number per sample; the bias gradient sums over the batch: G1.sum(axis=0)
# diagnosis: bias-sum-wrong-axis
import numpy as np


def two_layer_gradients(X, Y, W1, b1, W2, b2):
    X = np.asarray(X, dtype=float)
    N = X.shape[0]
    H = np.tanh(X @ W1.T + b1)
    G2 = (H @ W2.T + b2 - Y) / N
    G1 = (G2 @ W2) * (1 - H**2)
    return G1.T @ X, G1.sum(axis=1), G2.T @ H, G2.sum(axis=0)
