import numpy as np


def classify_critical_point(H, tol=1e-8):
    """(label, ascending eigenvalues) of a symmetric Hessian at a critical point."""
    H = np.asarray(H, dtype=float)
    eigenvalues = np.linalg.eigvalsh(H)
    # TODO: look at the signs of all the eigenvalues.
    label = "minimum" if H.trace() > 0 else "maximum"
    return label, eigenvalues
