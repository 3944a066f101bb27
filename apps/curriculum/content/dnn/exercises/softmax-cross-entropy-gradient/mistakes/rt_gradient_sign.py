# mistake: returns (Y - P) / N, the negative gradient; the gradient of the loss is (P - Y) / N
# diagnosis: gradient-sign
import numpy as np


def softmax_cross_entropy_grad(Z, labels):
    Z = np.asarray(Z, dtype=float)
    labels = np.asarray(labels, dtype=int)
    N, K = Z.shape
    m = Z.max(axis=1, keepdims=True)
    logp = Z - m - np.log(np.exp(Z - m).sum(axis=1, keepdims=True))
    loss = -logp[np.arange(N), labels].mean()
    return loss, (np.eye(K)[labels] - np.exp(logp)) / N
