# diagnosis: zero-initial-max
import numpy as np


def max_pool2d(x, size, stride):
    c, h, w = x.shape
    out = np.zeros((c, (h - size) // stride + 1, (w - size) // stride + 1))
    for i in range(out.shape[1]):
        for j in range(out.shape[2]):
            for u in range(size):
                for v in range(size):
                    out[:, i, j] = np.maximum(out[:, i, j], x[:, i * stride + u, j * stride + v])
    return out
