import numpy as np


def conv_layer(x, weight, bias, stride=1, padding=0):
    """Multi-channel cross-correlation with zero padding and stride: (C_out, H_out, W_out)."""
    x = np.asarray(x, dtype=float)
    weight = np.asarray(weight, dtype=float)
    bias = np.asarray(bias, dtype=float)
    xp = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))
    c_out, _, kh, kw = weight.shape
    out_h = (xp.shape[1] - kh) // stride + 1
    out_w = (xp.shape[2] - kw) // stride + 1
    out = np.zeros((c_out, out_h, out_w))
    for u in range(kh):
        for v in range(kw):
            patch = xp[
                :,
                u : u + stride * (out_h - 1) + 1 : stride,
                v : v + stride * (out_w - 1) + 1 : stride,
            ]
            out += np.einsum("oc,chw->ohw", weight[:, :, u, v], patch)
    return out + bias[:, None, None]
