# mistake: averages the terms -p_k log p_k over the K outcomes with .mean(axis=-1) instead of summing them, so the entropy is K times too small; use .sum(axis=-1)
# diagnosis: mean-not-sum
import numpy as np


def entropy(p):
    p = np.asarray(p, dtype=float)
    logp = np.log(np.where(p > 0, p, 1.0))
    return -(p * logp).mean(axis=-1)
