# mistake: returns "degenerate" as soon as any eigenvalue is numerically zero, before looking for mixed signs, so a saddle with a zero eigenvalue is misreported; test for a saddle first
# diagnosis: zero-before-saddle
import numpy as np


def classify_critical_point(H, tol=1e-8):
    lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    if np.any(np.abs(lam) <= tol):
        return "degenerate", lam
    if np.all(lam > tol):
        return "minimum", lam
    if np.all(lam < -tol):
        return "maximum", lam
    return "saddle", lam
