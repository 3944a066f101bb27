# mistake: pads the output gradient with kh // 2 and kw // 2 zeros (the "same" padding) instead of kh - 1 and kw - 1 before the flipped cross-correlation, so d_image comes out too small for kernels larger than 3; pad with kernel size minus one
# diagnosis: half-kernel-padding
import numpy as np


def _xcorr(a, k):
    kh, kw = k.shape
    out = np.zeros((a.shape[0] - kh + 1, a.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(a[i : i + kh, j : j + kw] * k)
    return out


def conv2d_backward(image, kernel, grad_out):
    X = np.asarray(image, dtype=float)
    K = np.asarray(kernel, dtype=float)
    G = np.asarray(grad_out, dtype=float)
    kh, kw = K.shape
    Gp = np.pad(G, ((kh // 2, kh // 2), (kw // 2, kw // 2)))
    return _xcorr(Gp, K[::-1, ::-1]), _xcorr(X, G)
