# diagnosis: gradient-not-averaged
import numpy as np


def softmax_cross_entropy_grad(Z, labels):
    n = Z.shape[0]
    shifted = Z - Z.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    dZ = np.exp(logp)
    dZ[np.arange(n), labels] -= 1.0
    return -logp[np.arange(n), labels].mean(), dZ
