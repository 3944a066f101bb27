import numpy as np


def softmax_cross_entropy_grad(Z, labels):
    """Mean cross-entropy (nats) of softmax(Z) against integer labels, and its gradient dL/dZ."""
    Z = np.asarray(Z, dtype=float)
    labels = np.asarray(labels, dtype=int)
    n = Z.shape[0]
    shifted = Z - Z.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(n)
    loss = -float(logp[rows, labels].mean())
    dZ = np.exp(logp)
    dZ[rows, labels] -= 1.0
    return loss, dZ / n
