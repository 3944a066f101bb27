# diagnosis: unit-length
import numpy as np


def stationary_distribution(P):
    eigenvalues, eigenvectors = np.linalg.eig(np.asarray(P, dtype=float).T)
    return np.real(eigenvectors[:, np.argmin(np.abs(eigenvalues - 1.0))])
