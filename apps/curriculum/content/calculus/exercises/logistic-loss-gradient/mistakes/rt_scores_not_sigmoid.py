# mistake: the gradient uses the raw scores z in place of sigma(z), X^T (z - y) / N; the derivative of log(1 + e^z) is sigma(z), so use X^T (sigma(z) - y) / N
# diagnosis: scores-not-sigmoid
import numpy as np


def logistic_loss_and_gradient(w, X, y):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    z = X @ np.asarray(w, dtype=float)
    loss = np.mean(np.logaddexp(0, z) - y * z)
    grad = X.T @ (z - y) / len(y)
    return float(loss), grad
