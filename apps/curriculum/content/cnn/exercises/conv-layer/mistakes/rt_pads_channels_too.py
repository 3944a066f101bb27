# mistake: pads with np.pad(x, padding), which also adds zero channels in front of and behind the channel axis; pad only the two spatial axes: np.pad(x, ((0, 0), (p, p), (p, p)))
# diagnosis: padded-channels
import numpy as np


def conv_layer(x, weight, bias, stride=1, padding=0):
    x = np.asarray(x, dtype=float)
    weight = np.asarray(weight, dtype=float)
    c_out, c_in, kh, kw = weight.shape
    xp = np.pad(x, padding)
    ho = (xp.shape[1] - kh) // stride + 1
    wo = (xp.shape[2] - kw) // stride + 1
    out = np.zeros((c_out, ho, wo))
    for o in range(c_out):
        for i in range(ho):
            for j in range(wo):
                patch = xp[:c_in, i * stride : i * stride + kh, j * stride : j * stride + kw]
                out[o, i, j] = np.sum(patch * weight[o]) + bias[o]
    return out
