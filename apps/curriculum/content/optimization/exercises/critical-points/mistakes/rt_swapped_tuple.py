# mistake: returns the tuple in the order (eigenvalues, label) instead of (label, eigenvalues); return label first
# diagnosis: swapped-tuple
import numpy as np


def _label(lam, tol):
    if np.any(lam > tol) and np.any(lam < -tol):
        return "saddle"
    if np.all(lam > tol):
        return "minimum"
    if np.all(lam < -tol):
        return "maximum"
    return "degenerate"


def classify_critical_point(H, tol=1e-8):
    lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    return lam, _label(lam, tol)
