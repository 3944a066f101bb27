import numpy as np


def goe(A):
    """(A + A^T) / sqrt(2n) for each matrix of the stack."""
    A = np.asarray(A, dtype=float)
    # TODO: symmetrise each matrix and scale by 1 / sqrt(2n).
    return A


def index_fractions(H):
    """Fraction of strictly negative eigenvalues of each symmetric matrix of the stack."""
    H = np.asarray(H, dtype=float)
    # TODO: count negative eigenvalues, not negative diagonal entries.
    return np.mean(np.diagonal(H, axis1=-2, axis2=-1) < 0, axis=-1)


def semicircle_negative_fraction(s):
    """Fraction of the semicircle law on [-2, 2], shifted by s, below zero."""
    # TODO: the formula of the lesson.
    return np.full(np.shape(s), 0.5)
