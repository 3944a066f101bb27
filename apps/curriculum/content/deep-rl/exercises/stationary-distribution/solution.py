import numpy as np


def stationary_distribution(P):
    """Stationary distribution pi of the row-stochastic matrix P: pi @ P == pi, sum(pi) == 1."""
    P = np.asarray(P, dtype=float)
    eigenvalues, eigenvectors = np.linalg.eig(P.T)
    k = int(np.argmin(np.abs(eigenvalues - 1.0)))
    pi = np.real(eigenvectors[:, k])
    pi = pi / pi.sum()
    return np.clip(pi, 0.0, None) / np.clip(pi, 0.0, None).sum()
