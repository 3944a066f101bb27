import numpy as np


def dense_forward(X, weights, biases, activation="relu"):
    """Output of the dense network on the batch X, shape (N, d_L); the last layer is linear.

    X: (N, d_0); weights[l]: (d_{l+1}, d_l); biases[l]: (d_{l+1},);
    activation: 'relu' or 'sigmoid', applied to every layer except the last.
    """
    H = np.asarray(X, dtype=float)
    for index in range(len(weights)):
        # TODO: add the bias biases[index], then the activation (but not on the last layer).
        H = H @ weights[index].T
    return H
