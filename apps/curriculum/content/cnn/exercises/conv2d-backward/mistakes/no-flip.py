# diagnosis: kernel-not-flipped
import numpy as np


def conv2d_backward(image, kernel, grad_out):
    X, K, G = (np.asarray(a, dtype=float) for a in (image, kernel, grad_out))
    kh, kw = K.shape
    oh, ow = G.shape
    d_kernel = np.array(
        [[np.sum(G * X[u : u + oh, v : v + ow]) for v in range(kw)] for u in range(kh)]
    )
    padded = np.pad(G, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    d_image = np.array(
        [
            [np.sum(padded[a : a + kh, b : b + kw] * K) for b in range(X.shape[1])]
            for a in range(X.shape[0])
        ]
    )
    return d_image, d_kernel
