import numpy as np


def dense_layer(images, W, b):
    """ReLU(W x + b) for each flattened image x; returns shape (N, m)."""
    images = np.asarray(images, dtype=float)
    N = images.shape[0]
    X = images.reshape(N, -1)  # (N, d), one flattened image per row
    # TODO: apply the affine map and the nonlinearity.
    return X
