# mistake: returns the eigenvector straight from np.linalg.eig without taking its real part, so the result has a complex dtype (with zero imaginary parts); take .real before normalising
# diagnosis: complex-result
import numpy as np


def stationary_distribution(P):
    w, V = np.linalg.eig(np.asarray(P, dtype=float).T)
    v = V[:, np.argmin(np.abs(w - 1))]
    return v / v.sum()
