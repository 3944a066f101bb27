import numpy as np


def classify_critical_point(H, tol=1e-8):
    """(label, ascending eigenvalues) of a symmetric Hessian at a critical point."""
    eigenvalues = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    positive = bool(np.any(eigenvalues > tol))
    negative = bool(np.any(eigenvalues < -tol))
    if positive and negative:
        label = "saddle"
    elif np.all(eigenvalues > tol):
        label = "minimum"
    elif np.all(eigenvalues < -tol):
        label = "maximum"
    else:
        label = "degenerate"
    return label, eigenvalues
