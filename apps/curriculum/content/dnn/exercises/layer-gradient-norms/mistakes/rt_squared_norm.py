# mistake: records the squared Frobenius norm (np.sum(dW ** 2)) instead of the norm itself; take the square root (np.linalg.norm(dW))
# diagnosis: squared-norm
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
    G = (hs[-1] - Y) / X.shape[0]
    norms = []
    for l in range(L - 1, -1, -1):
        dW = G.T @ hs[l]
        norms.append(np.sum(dW**2))
        if l > 0:
            h = hs[l]
            d = h * (1 - h) if activation == "sigmoid" else (h > 0).astype(float)
            G = (G @ weights[l]) * d
    return np.array(norms[::-1])
