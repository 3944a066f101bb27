# diagnosis: naive-softplus
import numpy as np


def logistic_loss_and_gradient(w, X, y):
    z = X @ w
    loss = np.mean(np.log(1.0 + np.exp(z)) - y * z)
    grad = X.T @ (1.0 / (1.0 + np.exp(-z)) - y) / len(y)
    return float(loss), grad
