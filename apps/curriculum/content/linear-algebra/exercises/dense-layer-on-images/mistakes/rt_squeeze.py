# mistake: squeezes the result, so a batch of a single image returns shape (m,) instead of (1, m); drop the .squeeze()
# diagnosis: squeezed
import numpy as np


def dense_layer(images, W, b):
    images = np.asarray(images, dtype=float)
    X = images.reshape(images.shape[0], -1)
    return np.maximum(0.0, X @ W.T + b).squeeze()
