# diagnosis: no-prior
import numpy as np


def _mi(joint):
    joint = joint / joint.sum()  # treats the channel matrix as a joint table
    outer = joint.sum(axis=1, keepdims=True) * joint.sum(axis=0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log(joint[nz] / outer[nz])))


def chain_informations(px, A, B):
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    return _mi(A), _mi(A @ B)
