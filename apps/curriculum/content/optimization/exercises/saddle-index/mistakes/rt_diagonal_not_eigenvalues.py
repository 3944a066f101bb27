# mistake: index_fractions counts negative diagonal entries instead of negative eigenvalues; use np.linalg.eigvalsh.
# diagnosis: diagonal-not-eigenvalues
import numpy as np


def goe(A):
    A = np.asarray(A, dtype=float)
    n = A.shape[-1]
    return (A + A.transpose(0, 2, 1)) / np.sqrt(2 * n)


def index_fractions(H):
    H = np.asarray(H, dtype=float)
    ev = np.diagonal(H, axis1=-2, axis2=-1)
    return (ev < 0).sum(axis=-1) / H.shape[-1]


def semicircle_negative_fraction(s):
    s = np.asarray(s, dtype=float)
    t = np.clip(s, -2.0, 2.0)
    return 0.5 - t * np.sqrt(4 - t**2) / (4 * np.pi) - np.arcsin(t / 2) / np.pi
