# mistake: computes the loss as -mean(y log s + (1 - y) log(1 - s)) with s clipped to [1e-15, 1 - 1e-15], which caps each sample's loss near 34.5 nats when |z| is in the hundreds; use log(1 + e^z) - y z with np.logaddexp(0, z)
# diagnosis: clipped-log-sigmoid
import numpy as np


def logistic_loss_and_gradient(w, X, y):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    z = X @ np.asarray(w, dtype=float)
    s = 0.5 * (1 + np.tanh(z / 2))
    sc = np.clip(s, 1e-15, 1 - 1e-15)
    loss = -np.mean(y * np.log(sc) + (1 - y) * np.log(1 - sc))
    grad = X.T @ (s - y) / len(y)
    return float(loss), grad
