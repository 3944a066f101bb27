# mistake: divides the gradient by the number of features d instead of the number of samples N; the loss is a mean over the N rows, so divide X^T (sigma(z) - y) by N = len(y)
# diagnosis: gradient-over-d
import numpy as np


def logistic_loss_and_gradient(w, X, y):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    z = X @ np.asarray(w, dtype=float)
    loss = np.mean(np.logaddexp(0, z) - y * z)
    s = 0.5 * (1 + np.tanh(z / 2))
    return float(loss), X.T @ (s - y) / X.shape[1]
