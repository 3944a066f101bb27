# mistake: keeps the output shape (H - kh, W - kw), one row and one column short, so the last valid window is never computed; the valid output has H - kh + 1 rows and W - kw + 1 columns
# diagnosis: output-one-short
import numpy as np


def conv2d(image, kernel):
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh, image.shape[1] - kw))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i : i + kh, j : j + kw] * kernel)
    return out
