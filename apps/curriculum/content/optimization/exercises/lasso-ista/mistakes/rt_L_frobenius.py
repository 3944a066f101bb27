# mistake: L is taken as the squared Frobenius norm of X over N (the sum of all eigenvalues) instead of the largest eigenvalue of X^T X / N; use np.linalg.eigvalsh(X.T @ X / N).max().
# diagnosis: lipschitz-frobenius
import numpy as np


def soft_threshold(v, t):
    v = np.asarray(v, dtype=float)
    return np.sign(v) * np.maximum(np.abs(v) - t, 0.0)


def ista(X, y, lam, steps):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    N, d = X.shape
    L = np.linalg.norm(X) ** 2 / N
    w = np.zeros(d)
    hist = [w]
    for _ in range(steps):
        grad = X.T @ (X @ w - y) / N
        w = soft_threshold(w - grad / L, lam / L)
        hist.append(w)
    return np.array(hist)
