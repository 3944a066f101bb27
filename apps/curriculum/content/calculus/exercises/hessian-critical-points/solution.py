import numpy as np


def numerical_hessian(grad, x, eps=1e-5):
    """Symmetrised central-difference Hessian from a gradient function: shape (n, n)."""
    x = np.asarray(x, dtype=float)
    columns = []
    for j in range(x.size):
        step = np.zeros_like(x)
        step[j] = eps
        g_plus = np.asarray(grad(x + step), dtype=float)
        g_minus = np.asarray(grad(x - step), dtype=float)
        columns.append((g_plus - g_minus) / (2 * eps))
    H = np.stack(columns, axis=1)
    return 0.5 * (H + H.T)


def classify_critical_point(H, tol=1e-6):
    """'minimum', 'maximum', 'saddle' or 'degenerate'."""
    eigenvalues = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    positive = bool(np.any(eigenvalues > tol))
    negative = bool(np.any(eigenvalues < -tol))
    if positive and negative:
        return "saddle"
    if np.all(eigenvalues > tol):
        return "minimum"
    if np.all(eigenvalues < -tol):
        return "maximum"
    return "degenerate"
