# mistake: kl_divergence passes p * log(p / q) through np.nan_to_num to get rid of 0 * log 0 = nan, which also turns +inf into the largest float, so a q that misses a possible outcome gives 1.8e308 instead of inf; mask with np.where(p > 0, ...) instead
# diagnosis: kl-nan-to-num
import numpy as np


def kl_divergence(p, q):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.nan_to_num(p * np.log(p / q))
    return terms.sum(axis=-1)


def conditional_entropy(joint):
    joint = np.asarray(joint, dtype=float)
    px = joint.sum(axis=1, keepdims=True)
    cond = np.where(joint > 0, joint / np.where(px > 0, px, 1.0), 1.0)
    return float(-(joint * np.log(cond)).sum())
