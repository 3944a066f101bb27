import numpy as np


def layer_gradient_norms(X, Y, weights, biases, activation):
    """Frobenius norm of dL/dW for each layer (index 0 = first layer), MSE loss, linear output.

    weights[l]: (d_{l+1}, d_l); biases[l]: (d_{l+1},); activation: 'sigmoid' or 'relu'
    on the hidden layers; L = mean over rows of 0.5 * ||Yhat - Y||^2.
    """
    X = np.asarray(X, dtype=float)
    hs = [X]
    for W, b in zip(weights, biases, strict=True):
        hs.append(hs[-1] @ W.T + b)  # TODO: activation on the hidden layers
    G = (hs[-1] - Y) / X.shape[0]
    # TODO: walk backwards through the layers; this only gets the last one right.
    return np.array([np.linalg.norm(G.T @ hs[-2])] * len(weights))
