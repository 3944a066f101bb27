import numpy as np


def attention(Q, K, V, mask=None):
    """softmax(Q K^T / sqrt(d_k)) V over the last two axes; masked pairs get weight 0."""
    Q, K, V = (np.asarray(a, dtype=float) for a in (Q, K, V))
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if mask is None:
        allowed = np.ones(scores.shape, dtype=bool)
    else:
        allowed = np.broadcast_to(np.asarray(mask, dtype=bool), scores.shape)
    scores = np.where(allowed, scores, -np.inf)
    empty = ~allowed.any(axis=-1, keepdims=True)
    top = np.where(empty, 0.0, scores.max(axis=-1, keepdims=True))
    exp = np.where(allowed, np.exp(scores - top), 0.0)
    total = exp.sum(axis=-1, keepdims=True)
    weights = exp / np.where(empty, 1.0, total)
    return weights @ V, weights
