# mistake: takes the patch as image[j:j + kw, i:i + kh], swapping the row and column offsets, which only works for square shapes; the patch at (i, j) is image[i:i + kh, j:j + kw]
# diagnosis: swapped-offsets
import numpy as np


def conv2d(image, kernel):
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[j : j + kw, i : i + kh].T * kernel)
    return out
