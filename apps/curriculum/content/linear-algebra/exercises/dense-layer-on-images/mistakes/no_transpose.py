# diagnosis: reshape-not-transpose
import numpy as np


def dense_layer(images, W, b):
    images = np.asarray(images, dtype=float)
    X = images.reshape(images.shape[0], -1)
    d = X.shape[1]
    # "works" only when W happens to be square
    return np.maximum(0.0, X @ W.reshape(d, -1) + b)
