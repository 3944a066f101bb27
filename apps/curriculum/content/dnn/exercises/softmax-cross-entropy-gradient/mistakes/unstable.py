# diagnosis: naive-softmax
import numpy as np


def softmax_cross_entropy_grad(Z, labels):
    n = Z.shape[0]
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(P[np.arange(n), labels]))
    dZ = P.copy()
    dZ[np.arange(n), labels] -= 1.0
    return loss, dZ / n
