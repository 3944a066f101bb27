import numpy as np


def logistic_loss_and_gradient(w, X, y):
    """(mean logistic loss, gradient with respect to w)."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    z = X @ np.asarray(w, dtype=float)
    loss = np.mean(np.log(1.0 + np.exp(z)) - y * z)
    grad = np.zeros(X.shape[1])  # TODO: the chain rule through z = X w
    return float(loss), grad
