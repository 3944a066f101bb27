# mistake: L is the largest eigenvalue of X^T X instead of X^T X / N, so the steps are N times too short; include the 1/N of the smooth part.
# diagnosis: lipschitz-without-n
import numpy as np


def soft_threshold(v, t):
    v = np.asarray(v, dtype=float)
    return np.sign(v) * np.maximum(np.abs(v) - t, 0.0)


def ista(X, y, lam, steps):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    N, d = X.shape
    L = np.max(np.linalg.eigvalsh(X.T @ X))
    w = np.zeros(d)
    hist = [w]
    for _ in range(steps):
        grad = X.T @ (X @ w - y) / N
        w = soft_threshold(w - grad / L, lam / L)
        hist.append(w)
    return np.array(hist)
