# diagnosis: nan-on-zeros
import numpy as np


def entropy(p):
    p = np.asarray(p, dtype=float)
    return -(p * np.log(p)).sum(axis=-1)
