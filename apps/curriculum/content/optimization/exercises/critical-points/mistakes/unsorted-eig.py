# diagnosis: unsorted-eigenvalues
import numpy as np


def classify_critical_point(H, tol=1e-8):
    eigenvalues = np.linalg.eig(np.asarray(H, dtype=float))[0].real[::-1]
    if np.any(eigenvalues > tol) and np.any(eigenvalues < -tol):
        return "saddle", eigenvalues
    if np.all(eigenvalues > tol):
        return "minimum", eigenvalues
    if np.all(eigenvalues < -tol):
        return "maximum", eigenvalues
    return "degenerate", eigenvalues
