# mistake: takes the row max and sum without keepdims=True, so for a batch they broadcast against the columns instead of the rows; use keepdims=True
# diagnosis: no-keepdims
import numpy as np


def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1))
    return e / e.sum(axis=-1)
