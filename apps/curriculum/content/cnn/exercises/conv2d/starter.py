import numpy as np


def conv2d(image, kernel):
    """Valid 2-D cross-correlation (no kernel flip), shape (H - kh + 1, W - kw + 1)."""
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh, image.shape[1] - kw))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            # TODO: the inner product of the kernel with the patch at (i, j).
            out[i, j] = image[i, j] * kernel[0, 0]
    return out
