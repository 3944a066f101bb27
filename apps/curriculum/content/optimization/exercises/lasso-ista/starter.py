import numpy as np


def soft_threshold(v, t):
    """sign(v) * max(|v| - t, 0), elementwise."""
    v = np.asarray(v, dtype=float)
    # TODO: this is hard thresholding; survivors must also move towards zero by t.
    return np.where(np.abs(v) > t, v, 0.0)


def ista(X, y, lam, steps):
    """ISTA iterates for (1/2N)|Xw - y|^2 + lam |w|_1 from w = 0; shape (steps + 1, d)."""
    X = np.asarray(X, dtype=float)
    w = np.zeros(X.shape[1])
    iterates = [w.copy()]
    for _ in range(steps):
        # TODO: a gradient step of length 1/L, then soft-thresholding at lam / L.
        iterates.append(w.copy())
    return np.array(iterates)
