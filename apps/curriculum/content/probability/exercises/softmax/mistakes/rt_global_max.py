# mistake: subtracts the maximum of the whole array instead of each row's maximum, so a row far below the global max underflows to 0/0; use z.max(axis=-1, keepdims=True)
# diagnosis: global-max
import numpy as np


def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum(axis=-1, keepdims=True)
