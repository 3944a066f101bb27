# mistake: rounds the output size up (ceil((H - size) / stride) + 1), so a partial window that sticks out past the border is pooled too; windows that do not fit are dropped: (H - size) // stride + 1
# diagnosis: partial-windows
import math

import numpy as np


def max_pool2d(x, size, stride):
    x = np.asarray(x, dtype=float)
    c, h, w = x.shape
    ho, wo = math.ceil((h - size) / stride) + 1, math.ceil((w - size) / stride) + 1
    out = np.empty((c, ho, wo))
    for i in range(ho):
        for j in range(wo):
            out[:, i, j] = x[:, i * stride : i * stride + size, j * stride : j * stride + size].max(
                axis=(1, 2)
            )
    return out
