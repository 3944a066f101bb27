import numpy as np


def conv2d(image, kernel):
    """Valid 2-D cross-correlation (no kernel flip), shape (H - kh + 1, W - kw + 1)."""
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    kh, kw = kernel.shape
    out_h, out_w = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    out = np.zeros((out_h, out_w))
    # Sum of shifted copies of the image, one per kernel entry: kh * kw vectorised steps.
    for u in range(kh):
        for v in range(kw):
            out += kernel[u, v] * image[u : u + out_h, v : v + out_w]
    return out
