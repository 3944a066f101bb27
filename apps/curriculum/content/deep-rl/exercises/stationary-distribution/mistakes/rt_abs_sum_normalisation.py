# mistake: normalises the eigenvector by the sum of its absolute values, which keeps a negated eigenvector negative (entries sum to -1); divide by v.sum() so the sign is fixed too
# diagnosis: abs-sum-normalisation
import numpy as np


def stationary_distribution(P):
    w, V = np.linalg.eig(np.asarray(P, dtype=float).T)
    v = V[:, np.argmin(np.abs(w - 1))].real
    return v / np.abs(v).sum()
