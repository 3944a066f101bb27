# mistake: flips each kernel by 180 degrees (a true convolution) although a conv layer computes a cross-correlation; use weight[o] as it is
# diagnosis: flipped-kernel
import numpy as np


def conv_layer(x, weight, bias, stride=1, padding=0):
    x = np.asarray(x, dtype=float)
    weight = np.asarray(weight, dtype=float)
    c_out, c_in, kh, kw = weight.shape
    xp = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))
    ho = (xp.shape[1] - kh) // stride + 1
    wo = (xp.shape[2] - kw) // stride + 1
    out = np.zeros((c_out, ho, wo))
    for o in range(c_out):
        k = weight[o, :, ::-1, ::-1]
        for i in range(ho):
            for j in range(wo):
                patch = xp[:, i * stride : i * stride + kh, j * stride : j * stride + kw]
                out[o, i, j] = np.sum(patch * k) + bias[o]
    return out
