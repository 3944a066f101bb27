# mistake: allocates the output with np.zeros_like on the (unconverted) image, so an integer image gets an integer output and every sum is truncated; convert to float (np.asarray(image, dtype=float)) before allocating
# diagnosis: integer-output
import numpy as np


def conv2d(image, kernel):
    image = np.asarray(image)
    kernel = np.asarray(kernel, dtype=float)
    kh, kw = kernel.shape
    out = np.zeros_like(image, shape=(image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i : i + kh, j : j + kw] * kernel)
    return out
