import numpy as np


def softmax_cross_entropy_grad(Z, labels):
    """Mean cross-entropy (nats) of softmax(Z) against integer labels, and its gradient dL/dZ.

    Z: (N, K) logits; labels: (N,) integers in [0, K). Returns (loss, dZ) with dZ of shape (N, K).
    """
    Z = np.asarray(Z, dtype=float)
    labels = np.asarray(labels, dtype=int)
    n = Z.shape[0]
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(P[np.arange(n), labels]))
    # TODO: the gradient of the loss with respect to Z.
    dZ = P
    return loss, dZ
