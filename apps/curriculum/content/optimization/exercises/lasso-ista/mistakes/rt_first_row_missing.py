# mistake: ista returns only the iterates after each step (steps rows), without w_0 = 0; start the list with the zero vector.
# diagnosis: first-row-missing
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
    hist = []
    for _ in range(steps):
        grad = X.T @ (X @ w - y) / N
        w = soft_threshold(w - grad / L, lam / L)
        hist.append(w)
    return np.array(hist)
