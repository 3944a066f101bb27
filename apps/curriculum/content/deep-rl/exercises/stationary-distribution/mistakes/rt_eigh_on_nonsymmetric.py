# mistake: calls np.linalg.eigh on P.T, which assumes a symmetric matrix and reads only one triangle, so for a general chain it returns eigenpairs of a different matrix; use np.linalg.eig
# diagnosis: eigh-on-nonsymmetric
import numpy as np


def stationary_distribution(P):
    w, V = np.linalg.eigh(np.asarray(P, dtype=float).T)
    v = V[:, np.argmin(np.abs(w - 1))]
    return v / v.sum()
