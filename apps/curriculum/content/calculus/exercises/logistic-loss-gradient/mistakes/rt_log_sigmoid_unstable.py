# mistake: computes the loss through the textbook form -mean(y log sigma(z) + (1 - y) log(1 - sigma(z))), which gives log(0) = -inf (and nan) once sigma(z) rounds to 0 or 1 for |z| in the tens; use log(1 + e^z) - y z with np.logaddexp(0, z)
# diagnosis: log-of-sigmoid
import numpy as np


def logistic_loss_and_gradient(w, X, y):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    z = X @ np.asarray(w, dtype=float)
    s = 0.5 * (1 + np.tanh(z / 2))
    loss = -np.mean(y * np.log(s) + (1 - y) * np.log(1 - s))
    grad = X.T @ (s - y) / len(y)
    return float(loss), grad
