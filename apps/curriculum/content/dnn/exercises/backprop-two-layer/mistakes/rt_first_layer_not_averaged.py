# mistake: divides by N for the output-layer gradients but backpropagates the undivided error Yhat - Y into the first layer, so dW1 and db1 are N times too large; push G2 = (Yhat - Y) / N back
# diagnosis: first-layer-not-averaged
import numpy as np


def two_layer_gradients(X, Y, W1, b1, W2, b2):
    X = np.asarray(X, dtype=float)
    N = X.shape[0]
    H = np.tanh(X @ W1.T + b1)
    E = H @ W2.T + b2 - Y
    G2 = E / N
    G1 = (E @ W2) * (1 - H**2)
    return G1.T @ X, G1.sum(axis=0), G2.T @ H, G2.sum(axis=0)
