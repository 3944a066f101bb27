import numpy as np


def goe(A):
    """(A + A^T) / sqrt(2n) for each matrix of the stack."""
    A = np.asarray(A, dtype=float)
    n = A.shape[-1]
    return (A + np.swapaxes(A, -1, -2)) / np.sqrt(2 * n)


def index_fractions(H):
    """Fraction of strictly negative eigenvalues of each symmetric matrix of the stack."""
    values = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    return np.mean(values < 0, axis=-1)


def semicircle_negative_fraction(s):
    """Fraction of the semicircle law on [-2, 2], shifted by s, below zero."""
    t = np.clip(np.asarray(s, dtype=float), -2.0, 2.0)
    return 0.5 - t * np.sqrt(4.0 - t**2) / (4.0 * np.pi) - np.arcsin(t / 2.0) / np.pi
