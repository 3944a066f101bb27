# mistake: starts the backward pass from Yhat - Y instead of (Yhat - Y) / N, so every gradient norm is N times too large; the loss is a mean over the batch
# diagnosis: not-averaged
import numpy as np


def layer_gradient_norms(X, Y, weights, biases, activation):
    X = np.asarray(X, dtype=float)
    L = len(weights)
    hs = [X]
    for l, (W, b) in enumerate(zip(weights, biases)):
        z = hs[-1] @ W.T + b
        if l < L - 1:
            z = np.exp(-np.logaddexp(0, -z)) if activation == "sigmoid" else np.maximum(z, 0)
        hs.append(z)
    G = hs[-1] - Y
    norms = []
    for l in range(L - 1, -1, -1):
        dW = G.T @ hs[l]
        norms.append(np.linalg.norm(dW))
        if l > 0:
            h = hs[l]
            d = h * (1 - h) if activation == "sigmoid" else (h > 0).astype(float)
            G = (G @ weights[l]) * d
    return np.array(norms[::-1])
