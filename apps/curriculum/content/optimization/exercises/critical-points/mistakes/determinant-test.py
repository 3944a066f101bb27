# diagnosis: determinant-test
import numpy as np


def classify_critical_point(H, tol=1e-8):
    H = np.asarray(H, dtype=float)
    det = np.linalg.det(H)
    if det > tol:
        label = "minimum"
    elif det < -tol:
        label = "saddle"
    else:
        label = "degenerate"
    return label, np.linalg.eigvalsh(H)
