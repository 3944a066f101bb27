# diagnosis: column-major
import numpy as np


def dense_layer(images, W, b):
    images = np.asarray(images, dtype=float)
    X = np.stack([image.flatten(order="F") for image in images])
    return np.maximum(0.0, X @ W.T + b)
