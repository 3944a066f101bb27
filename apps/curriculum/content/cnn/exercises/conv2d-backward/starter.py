import numpy as np


def conv2d_backward(image, kernel, grad_out):
    """Gradients (d_image, d_kernel) through Y = conv2d(image, kernel) given G = dL/dY.

    image: (H, W); kernel: (kh, kw); grad_out: (H - kh + 1, W - kw + 1).
    Returns d_image of shape (H, W) and d_kernel of shape (kh, kw).
    """
    X = np.asarray(image, dtype=float)
    K = np.asarray(kernel, dtype=float)
    G = np.asarray(grad_out, dtype=float)
    kh, kw = K.shape
    oh, ow = G.shape
    d_kernel = np.zeros((kh, kw))
    for u in range(kh):
        for v in range(kw):
            d_kernel[u, v] = np.sum(G * X[u : u + oh, v : v + ow])
    # TODO: the gradient with respect to the image.
    d_image = np.zeros_like(X)
    return d_image, d_kernel
