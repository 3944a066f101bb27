# mistake: returns the summed loss over the batch while the gradient is averaged (divided by N); the loss is the mean, so divide it by N too
# diagnosis: loss-summed
import numpy as np


def softmax_cross_entropy_grad(Z, labels):
    Z = np.asarray(Z, dtype=float)
    labels = np.asarray(labels, dtype=int)
    N = Z.shape[0]
    m = Z.max(axis=1, keepdims=True)
    logp = Z - m - np.log(np.exp(Z - m).sum(axis=1, keepdims=True))
    loss = -logp[np.arange(N), labels].sum()
    P = np.exp(logp)
    P[np.arange(N), labels] -= 1
    return loss, P / N
