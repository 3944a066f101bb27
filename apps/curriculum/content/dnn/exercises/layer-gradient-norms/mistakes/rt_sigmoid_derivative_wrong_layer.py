# mistake: uses the activation of the layer above, hs[l + 1], in the sigmoid derivative h (1 - h) instead of hs[l], the activation the error is being pushed into; the derivative belongs to Z^(l) whose output is hs[l]
# diagnosis: sigmoid-derivative-of-layer-above
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
        norms.append(np.linalg.norm(dW))
        if l > 0:
            h = hs[l]
            d = hs[l + 1] * (1 - hs[l + 1]) if activation == "sigmoid" else (h > 0).astype(float)
            G = (G @ weights[l]) * d
    return np.array(norms[::-1])
