# diagnosis: no-bias
import numpy as np


def conv_layer(x, weight, bias, stride=1, padding=0):
    xp = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))
    c_out, _, kh, kw = weight.shape
    out_h = (xp.shape[1] - kh) // stride + 1
    out_w = (xp.shape[2] - kw) // stride + 1
    out = np.zeros((c_out, out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            window = xp[:, i * stride : i * stride + kh, j * stride : j * stride + kw]
            out[:, i, j] = np.tensordot(weight, window, axes=3)
    return out
