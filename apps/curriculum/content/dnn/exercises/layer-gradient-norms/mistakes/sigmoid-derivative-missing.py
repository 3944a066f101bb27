# diagnosis: sigmoid-activation-not-derivative
import numpy as np


def layer_gradient_norms(X, Y, weights, biases, activation):
    L = len(weights)
    hs = [X]
    for index, (W, b) in enumerate(zip(weights, biases, strict=True)):
        Z = hs[-1] @ W.T + b
        if index < L - 1:
            Z = np.maximum(Z, 0.0) if activation == "relu" else 1.0 / (1.0 + np.exp(-Z))
        hs.append(Z)
    G = (hs[-1] - Y) / X.shape[0]
    norms = np.empty(L)
    for index in range(L - 1, -1, -1):
        norms[index] = np.linalg.norm(G.T @ hs[index])
        if index > 0:
            h = hs[index]
            G = (G @ weights[index]) * ((h > 0) if activation == "relu" else h)
    return norms
