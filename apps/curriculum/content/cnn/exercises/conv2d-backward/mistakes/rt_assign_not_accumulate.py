# mistake: writes d_image[i:i+kh, j:j+kw] = G[i, j] * K instead of +=, so overlapping windows overwrite each other instead of adding up; accumulate with +=
# diagnosis: assigned-not-accumulated
import numpy as np


def conv2d_backward(image, kernel, grad_out):
    X = np.asarray(image, dtype=float)
    K = np.asarray(kernel, dtype=float)
    G = np.asarray(grad_out, dtype=float)
    kh, kw = K.shape
    oh, ow = G.shape
    d_image = np.zeros_like(X)
    d_kernel = np.zeros_like(K)
    for i in range(oh):
        for j in range(ow):
            d_image[i : i + kh, j : j + kw] = G[i, j] * K
            d_kernel += G[i, j] * X[i : i + kh, j : j + kw]
    return d_image, d_kernel
