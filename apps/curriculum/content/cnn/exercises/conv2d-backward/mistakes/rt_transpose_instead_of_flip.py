# mistake: "rotates" the kernel with K.T instead of flipping it by 180 degrees (K[::-1, ::-1]) before cross-correlating the padded gradient; a transpose is a reflection about the diagonal, not a 180-degree rotation
# diagnosis: transpose-not-flip
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
    Kr = K.T
    Gp = np.pad(G, ((Kr.shape[0] - 1, Kr.shape[0] - 1), (Kr.shape[1] - 1, Kr.shape[1] - 1)))
    return _xcorr(Gp, Kr), _xcorr(X, G)
