# mistake: computes the output size as H + 2p - kh + 1 (the stride-1 size) and only uses the stride to place the windows, so with stride 2 the windows run past the border; H_out = (H + 2p - kh) // stride + 1
# diagnosis: stride-ignored-in-size
import numpy as np


def conv_layer(x, weight, bias, stride=1, padding=0):
    x = np.asarray(x, dtype=float)
    weight = np.asarray(weight, dtype=float)
    c_out, c_in, kh, kw = weight.shape
    xp = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))
    ho = xp.shape[1] - kh + 1
    wo = xp.shape[2] - kw + 1
    out = np.zeros((c_out, ho, wo))
    for o in range(c_out):
        for i in range(ho):
            for j in range(wo):
                patch = xp[:, i * stride : i * stride + kh, j * stride : j * stride + kw]
                if patch.shape[1:] == (kh, kw):
                    out[o, i, j] = np.sum(patch * weight[o]) + bias[o]
    return out
