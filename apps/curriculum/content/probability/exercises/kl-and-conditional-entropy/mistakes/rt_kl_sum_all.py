# mistake: in kl_divergence sums over every axis instead of the last one, so a batch of shape (N, K) returns one total instead of N divergences; use .sum(axis=-1)
# diagnosis: kl-sum-all
import numpy as np


def kl_divergence(p, q):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    with np.errstate(divide="ignore"):
        terms = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0) / q), 0.0)
    return terms.sum()


def conditional_entropy(joint):
    joint = np.asarray(joint, dtype=float)
    px = joint.sum(axis=1, keepdims=True)
    cond = np.where(joint > 0, joint / np.where(px > 0, px, 1.0), 1.0)
    return float(-(joint * np.log(cond)).sum())
