# mistake: divides by the sum of the whole array instead of each row's sum, so a batch's probabilities sum to one over all rows together; use e.sum(axis=-1, keepdims=True)
# diagnosis: global-sum
import numpy as np


def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum()
