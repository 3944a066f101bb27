# mistake: in kl_divergence masks out every entry where q is 0 as well as where p is 0, so a model that gives zero probability to a possible outcome gets a finite divergence instead of inf; mask only on p > 0
# diagnosis: kl-finite-when-q-zero
import numpy as np


def kl_divergence(p, q):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    ok = (p > 0) & (q > 0)
    terms = np.where(ok, p * np.log(np.where(ok, p, 1.0) / np.where(ok, q, 1.0)), 0.0)
    return terms.sum(axis=-1)


def conditional_entropy(joint):
    joint = np.asarray(joint, dtype=float)
    px = joint.sum(axis=1, keepdims=True)
    cond = np.where(joint > 0, joint / np.where(px > 0, px, 1.0), 1.0)
    return float(-(joint * np.log(cond)).sum())
