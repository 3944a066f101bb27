# diagnosis: right-eigenvector
import numpy as np


def stationary_distribution(P):
    eigenvalues, eigenvectors = np.linalg.eig(np.asarray(P, dtype=float))
    pi = np.real(eigenvectors[:, np.argmin(np.abs(eigenvalues - 1.0))])
    return pi / pi.sum()
