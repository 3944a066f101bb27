# mistake: loops over window starts range(0, H - size, stride), which stops before the last valid start H - size, so the last row and column of the (correctly shaped) output stay at their initial -inf; use range(0, H - size + 1, stride)
# diagnosis: range-misses-last
import numpy as np


def max_pool2d(x, size, stride):
    x = np.asarray(x, dtype=float)
    c, h, w = x.shape
    ho, wo = (h - size) // stride + 1, (w - size) // stride + 1
    out = np.full((c, ho, wo), -np.inf)
    for i, r in enumerate(range(0, h - size, stride)):
        for j, s in enumerate(range(0, w - size, stride)):
            out[:, i, j] = x[:, r : r + size, s : s + size].max(axis=(1, 2))
    return out
