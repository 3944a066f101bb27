# diagnosis: size-divided-by-stride
import numpy as np


def max_pool2d(x, size, stride):
    c, h, w = x.shape
    out = np.full((c, h // stride, w // stride), -np.inf)
    for i in range(out.shape[1]):
        for j in range(out.shape[2]):
            window = x[:, i * stride : i * stride + size, j * stride : j * stride + size]
            out[:, i, j] = window.max(axis=(1, 2))
    return out
