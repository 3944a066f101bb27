# mistake: subtracts the one-hot part with P[:, labels] -= 1, which subtracts 1 in every row at every label that occurs in the batch; index the pairs with P[np.arange(N), labels] -= 1
# diagnosis: onehot-columns
import numpy as np


def softmax_cross_entropy_grad(Z, labels):
    Z = np.asarray(Z, dtype=float)
    labels = np.asarray(labels, dtype=int)
    N = Z.shape[0]
    m = Z.max(axis=1, keepdims=True)
    logp = Z - m - np.log(np.exp(Z - m).sum(axis=1, keepdims=True))
    loss = -logp[np.arange(N), labels].mean()
    P = np.exp(logp)
    P[:, labels] -= 1
    return loss, P / N
