# mistake: normalises over axis 0 (the batch) instead of the last axis, so a batch is normalised per column; use axis=-1, keepdims=True in the max and the sum
# diagnosis: first-axis
import numpy as np


def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)
