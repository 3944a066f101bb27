# diagnosis: same-size-output
import numpy as np


def conv2d(image, kernel):
    image = np.asarray(image, dtype=float)
    kh, kw = kernel.shape
    padded = np.pad(image, ((0, kh - 1), (0, kw - 1)))
    out = np.zeros(image.shape)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(padded[i : i + kh, j : j + kw] * kernel)
    return out
