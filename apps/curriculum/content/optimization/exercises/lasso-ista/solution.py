import numpy as np


def soft_threshold(v, t):
    """sign(v) * max(|v| - t, 0), elementwise."""
    v = np.asarray(v, dtype=float)
    return np.sign(v) * np.maximum(np.abs(v) - t, 0.0)


def ista(X, y, lam, steps):
    """ISTA iterates for (1/2N)|Xw - y|^2 + lam |w|_1 from w = 0; shape (steps + 1, d)."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    lipschitz = np.linalg.eigvalsh(X.T @ X / n).max()
    w = np.zeros(d)
    iterates = [w.copy()]
    for _ in range(steps):
        gradient = X.T @ (X @ w - y) / n
        w = soft_threshold(w - gradient / lipschitz, lam / lipschitz)
        iterates.append(w.copy())
    return np.array(iterates)
