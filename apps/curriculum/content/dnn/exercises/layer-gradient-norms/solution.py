import numpy as np


def layer_gradient_norms(X, Y, weights, biases, activation):
    """Frobenius norm of dL/dW for each layer (index 0 = first layer), MSE loss, linear output."""
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    L = len(weights)
    hs = [X]
    for index, (W, b) in enumerate(zip(weights, biases, strict=True)):
        Z = hs[-1] @ np.asarray(W, dtype=float).T + b
        if index < L - 1:
            Z = np.maximum(Z, 0.0) if activation == "relu" else np.exp(-np.logaddexp(0.0, -Z))
        hs.append(Z)
    G = (hs[-1] - Y) / X.shape[0]
    norms = np.empty(L)
    for index in range(L - 1, -1, -1):
        H_prev = hs[index]
        norms[index] = np.linalg.norm(G.T @ H_prev)
        if index > 0:
            back = G @ np.asarray(weights[index], dtype=float)
            slope = (H_prev > 0).astype(float) if activation == "relu" else H_prev * (1.0 - H_prev)
            G = back * slope
    return norms
