# diagnosis: gradient-not-averaged
import numpy as np


def logistic_loss_and_gradient(w, X, y):
    z = X @ w
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    grad = X.T @ (0.5 * (1.0 + np.tanh(0.5 * z)) - y)
    return float(loss), grad
