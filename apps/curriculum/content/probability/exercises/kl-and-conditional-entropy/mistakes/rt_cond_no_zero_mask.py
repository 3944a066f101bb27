# mistake: conditional_entropy computes -(joint * log(joint / p(x))).sum() with no mask, so any zero entry (and a row of zeros, 0/0) gives nan; sum only over entries with p(x, y) > 0
# diagnosis: cond-no-zero-mask
import numpy as np


def kl_divergence(p, q):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    with np.errstate(divide="ignore"):
        terms = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0) / q), 0.0)
    return terms.sum(axis=-1)


def conditional_entropy(joint):
    joint = np.asarray(joint, dtype=float)
    px = joint.sum(axis=1, keepdims=True)
    return float(-(joint * np.log(joint / px)).sum())
