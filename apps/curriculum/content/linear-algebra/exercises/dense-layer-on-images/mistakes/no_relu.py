# diagnosis: no-relu
import numpy as np


def dense_layer(images, W, b):
    X = np.asarray(images, dtype=float).reshape(len(images), -1)
    return X @ W.T + b
