# mistake: applies the ReLU to W x and adds the bias afterwards, ReLU(W x) + b, so negative biases give negative activations; add b inside: np.maximum(0, X @ W.T + b)
# diagnosis: relu-before-bias
import numpy as np


def dense_layer(images, W, b):
    images = np.asarray(images, dtype=float)
    X = images.reshape(images.shape[0], -1)
    return np.maximum(0.0, X @ W.T) + b
