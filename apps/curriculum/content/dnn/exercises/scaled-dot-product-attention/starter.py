import numpy as np


def attention(Q, K, V, mask=None):
    """softmax(Q K^T / sqrt(d_k)) V over the last two axes; masked pairs get weight 0."""
    Q, K, V = (np.asarray(a, dtype=float) for a in (Q, K, V))
    scores = Q @ np.swapaxes(K, -1, -2)
    # TODO: scale by 1 / sqrt(d_k), make the softmax stable, and apply the mask.
    weights = np.exp(scores) / np.exp(scores).sum(axis=-1, keepdims=True)
    return weights @ V, weights
