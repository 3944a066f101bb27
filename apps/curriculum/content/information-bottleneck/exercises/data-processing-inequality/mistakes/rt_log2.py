# mistake: computes the informations with np.log2 (bits) instead of the natural logarithm (nats)
# diagnosis: bits
import numpy as np


def _mi(joint):
    outer = joint.sum(axis=1, keepdims=True) * joint.sum(axis=0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log2(joint[nz] / outer[nz])))


def chain_informations(px, A, B):
    px, A, B = (np.asarray(v, dtype=float) for v in (px, A, B))
    return _mi(px[:, None] * A), _mi(px[:, None] * (A @ B))
