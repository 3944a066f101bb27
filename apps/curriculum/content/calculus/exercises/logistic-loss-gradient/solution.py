import numpy as np


def logistic_loss_and_gradient(w, X, y):
    """(mean logistic loss, gradient with respect to w)."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    z = X @ np.asarray(w, dtype=float)
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    sigmoid = 0.5 * (1.0 + np.tanh(0.5 * z))  # stable for any z
    grad = X.T @ (sigmoid - y) / X.shape[0]
    return float(loss), grad
