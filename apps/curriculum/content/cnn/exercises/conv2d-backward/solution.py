import numpy as np


def conv2d_backward(image, kernel, grad_out):
    """Gradients (d_image, d_kernel) through Y = conv2d(image, kernel) given G = dL/dY."""
    X = np.asarray(image, dtype=float)
    K = np.asarray(kernel, dtype=float)
    G = np.asarray(grad_out, dtype=float)
    kh, kw = K.shape
    oh, ow = G.shape
    d_kernel = np.empty((kh, kw))
    d_image = np.zeros_like(X)
    for u in range(kh):
        for v in range(kw):
            window = X[u : u + oh, v : v + ow]
            d_kernel[u, v] = np.sum(G * window)  # dK = X cross-correlated with G
            d_image[u : u + oh, v : v + ow] += K[u, v] * G  # dX = full convolution of G with K
    return d_image, d_kernel
