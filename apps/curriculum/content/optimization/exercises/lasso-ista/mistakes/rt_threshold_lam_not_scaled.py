# mistake: ISTA thresholds at lam instead of lam / L (the step length 1/L scales the penalty too); soft-threshold at lam / L.
# diagnosis: threshold-not-scaled
import numpy as np


def soft_threshold(v, t):
    v = np.asarray(v, dtype=float)
    return np.sign(v) * np.maximum(np.abs(v) - t, 0.0)


def ista(X, y, lam, steps):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    N, d = X.shape
    L = np.max(np.linalg.eigvalsh(X.T @ X / N))
    w = np.zeros(d)
    hist = [w]
    for _ in range(steps):
        grad = X.T @ (X @ w - y) / N
        w = soft_threshold(w - grad / L, lam)
        hist.append(w)
    return np.array(hist)
