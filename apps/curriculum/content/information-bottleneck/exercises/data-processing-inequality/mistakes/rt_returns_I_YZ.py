# mistake: for the second number computes I(Y; Z) from the joint p(y) B instead of I(X; Z) from p(x) (A B); Z is compared with X through both channels
# diagnosis: i-yz
import numpy as np


def _mi(joint):
    outer = joint.sum(axis=1, keepdims=True) * joint.sum(axis=0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log(joint[nz] / outer[nz])))


def chain_informations(px, A, B):
    px, A, B = (np.asarray(v, dtype=float) for v in (px, A, B))
    py = px @ A
    return _mi(px[:, None] * A), _mi(py[:, None] * B)
