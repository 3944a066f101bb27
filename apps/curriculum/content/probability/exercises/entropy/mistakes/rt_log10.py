# mistake: uses np.log10 instead of the natural logarithm np.log, so the entropy is in hartleys, a factor log(10) too small; use np.log for nats
# diagnosis: log10
import numpy as np


def entropy(p):
    p = np.asarray(p, dtype=float)
    logp = np.log10(np.where(p > 0, p, 1.0))
    return -(p * logp).sum(axis=-1)
