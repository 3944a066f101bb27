import numpy as np


def conv_layer(x, weight, bias, stride=1, padding=0):
    """Multi-channel cross-correlation with zero padding and stride.

    x: (C_in, H, W); weight: (C_out, C_in, kh, kw); bias: (C_out,)
    returns (C_out, H_out, W_out), H_out = (H + 2*padding - kh) // stride + 1.
    """
    x = np.asarray(x, dtype=float)
    c_out, _c_in, kh, kw = weight.shape
    out_h, out_w = x.shape[1] - kh + 1, x.shape[2] - kw + 1
    out = np.zeros((c_out, out_h, out_w))
    for o in range(c_out):
        for i in range(out_h):
            for j in range(out_w):
                # TODO: all input channels, padding, stride and the bias.
                out[o, i, j] = np.sum(x[0, i : i + kh, j : j + kw] * weight[o, 0])
    return out
