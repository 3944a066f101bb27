# diagnosis: conditions-on-y
import numpy as np


def kl_divergence(p, q):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(np.where(p > 0, p, 1.0)) - np.log(q)), 0.0)
    return terms.sum(axis=-1)


def conditional_entropy(joint):
    joint = np.asarray(joint, dtype=float)
    py = joint.sum(axis=0, keepdims=True)
    mask = joint > 0
    cond = np.where(mask, joint / np.where(py > 0, py, 1.0), 1.0)
    return float(-(np.where(mask, joint * np.log(cond), 0.0)).sum())
