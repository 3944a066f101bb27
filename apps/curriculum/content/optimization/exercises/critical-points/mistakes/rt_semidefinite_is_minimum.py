# mistake: calls the point a minimum when no eigenvalue is negative (all >= -tol) and a maximum when none is positive, so a positive semidefinite Hessian with a zero eigenvalue is reported as a minimum instead of degenerate; require every eigenvalue > tol
# diagnosis: semidefinite-is-minimum
import numpy as np


def classify_critical_point(H, tol=1e-8):
    lam = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    if np.any(lam > tol) and np.any(lam < -tol):
        return "saddle", lam
    if np.all(np.abs(lam) <= tol):
        return "degenerate", lam
    if np.all(lam >= -tol):
        return "minimum", lam
    return "maximum", lam
