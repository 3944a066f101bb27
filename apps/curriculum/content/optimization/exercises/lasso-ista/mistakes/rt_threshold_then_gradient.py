# mistake: each ISTA step soft-thresholds first and then takes the gradient step (w = S(w) - grad/L) instead of thresholding the result of the gradient step; w_{t+1} = S_{lam/L}(w_t - grad f(w_t) / L).
# diagnosis: threshold-then-gradient
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
        w = soft_threshold(w, lam / L) - grad / L
        hist.append(w)
    return np.array(hist)
