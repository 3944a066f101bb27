# mistake: computes W @ X.T + b[:, None] with samples as columns and returns that (m, N) matrix without transposing back; return its transpose, shape (N, m)
# diagnosis: samples-as-columns
import numpy as np


def dense_layer(images, W, b):
    images = np.asarray(images, dtype=float)
    X = images.reshape(images.shape[0], -1)
    return np.maximum(0.0, W @ X.T + b[:, None])
