# mistake: the gradient of the smooth part is X^T (Xw - y) without the 1/N; the gradient of (1/2N)|Xw - y|^2 is X^T (Xw - y) / N.
# diagnosis: gradient-without-n
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
        grad = X.T @ (X @ w - y)
        w = soft_threshold(w - grad / L, lam / L)
        hist.append(w)
    return np.array(hist)
