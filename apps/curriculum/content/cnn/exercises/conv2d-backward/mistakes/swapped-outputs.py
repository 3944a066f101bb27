# diagnosis: outputs-swapped
import numpy as np


def conv2d_backward(image, kernel, grad_out):
    X, K, G = (np.asarray(a, dtype=float) for a in (image, kernel, grad_out))
    kh, kw = K.shape
    oh, ow = G.shape
    d_kernel = np.zeros((kh, kw))
    d_image = np.zeros_like(X)
    for u in range(kh):
        for v in range(kw):
            d_kernel[u, v] = np.sum(G * X[u : u + oh, v : v + ow])
            d_image[u : u + oh, v : v + ow] += K[u, v] * G
    return d_kernel, d_image
