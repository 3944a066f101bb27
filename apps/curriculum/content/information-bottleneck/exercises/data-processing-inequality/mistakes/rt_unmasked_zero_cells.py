# mistake: the mutual information sums p log(p / (p_x p_y)) over every cell, so a zero cell gives 0 * log(0) = nan; sum only over the cells with p(x, y) > 0
# diagnosis: unmasked-zero-cells
import numpy as np


def _mi(joint):
    outer = joint.sum(axis=1, keepdims=True) * joint.sum(axis=0, keepdims=True)
    return float(np.sum(joint * np.log(joint / outer)))


def chain_informations(px, A, B):
    px, A, B = (np.asarray(v, dtype=float) for v in (px, A, B))
    return _mi(px[:, None] * A), _mi(px[:, None] * (A @ B))
