import numpy as np


def _mi(joint):
    outer = joint.sum(axis=1, keepdims=True) * joint.sum(axis=0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log(joint[nz] / outer[nz])))


def chain_informations(px, A, B):
    """(I(X;Y), I(X;Z)) in nats for X -> Y -> Z with channels A = p(y|x), B = p(z|y)."""
    px = np.asarray(px, dtype=float)
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    return _mi(px[:, None] * A), _mi(px[:, None] * (A @ B))
