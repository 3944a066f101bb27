# diagnosis: no-max-shift
import numpy as np


def softmax(z):
    z = np.asarray(z, dtype=float)
    exp = np.exp(z)
    return exp / exp.sum(axis=-1, keepdims=True)
