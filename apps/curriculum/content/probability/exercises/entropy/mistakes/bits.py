# diagnosis: bits
import numpy as np


def entropy(p):
    p = np.asarray(p, dtype=float)
    return -(p * np.log2(np.where(p > 0, p, 1.0))).sum(axis=-1)
