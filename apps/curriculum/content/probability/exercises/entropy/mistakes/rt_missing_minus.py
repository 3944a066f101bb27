# mistake: forgets the leading minus sign, returning sum p log p (which is <= 0) instead of -sum p log p
# diagnosis: missing-minus
import numpy as np


def entropy(p):
    p = np.asarray(p, dtype=float)
    logp = np.log(np.where(p > 0, p, 1.0))
    return (p * logp).sum(axis=-1)
