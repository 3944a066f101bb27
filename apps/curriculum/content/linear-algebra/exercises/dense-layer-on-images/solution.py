import numpy as np


def dense_layer(images, W, b):
    """ReLU(W x + b) for each flattened image x; returns shape (N, m)."""
    images = np.asarray(images, dtype=float)
    X = images.reshape(images.shape[0], -1)
    Z = X @ np.asarray(W, dtype=float).T + np.asarray(b, dtype=float)
    return np.maximum(0.0, Z)
