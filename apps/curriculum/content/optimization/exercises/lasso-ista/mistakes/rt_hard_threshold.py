# mistake: soft_threshold zeroes small entries but leaves survivors unchanged (hard thresholding); survivors must also shrink by t: sign(v) * max(|v| - t, 0).
# diagnosis: hard-threshold
import numpy as np


def soft_threshold(v, t):
    v = np.asarray(v, dtype=float)
    return np.where(np.abs(v) > t, v, 0.0)


def ista(X, y, lam, steps):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    N, d = X.shape
    L = np.max(np.linalg.eigvalsh(X.T @ X / N))
    w = np.zeros(d)
    hist = [w]
    for _ in range(steps):
        grad = X.T @ (X @ w - y) / N
        w = soft_threshold(w - grad / L, lam / L)
        hist.append(w)
    return np.array(hist)
