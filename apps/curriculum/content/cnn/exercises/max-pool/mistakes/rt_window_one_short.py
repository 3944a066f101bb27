# mistake: slices the window as [i*stride : i*stride + size - 1], one row and one column short, so the last row and column of every window are ignored; the window is [i*stride : i*stride + size]
# diagnosis: window-one-short
import numpy as np


def max_pool2d(x, size, stride):
    x = np.asarray(x, dtype=float)
    c, h, w = x.shape
    ho, wo = (h - size) // stride + 1, (w - size) // stride + 1
    out = np.empty((c, ho, wo))
    for i in range(ho):
        for j in range(wo):
            out[:, i, j] = x[
                :, i * stride : i * stride + size - 1, j * stride : j * stride + size - 1
            ].max(axis=(1, 2))
    return out
