# mistake: the softmax normalises over axis -2 (the queries) instead of axis -1 (the keys); every row of the weights must sum to one.
# diagnosis: softmax-over-queries
import numpy as np


def attention(Q, K, V, mask=None):
    Q, K, V = (np.asarray(a, dtype=float) for a in (Q, K, V))
    d_k = Q.shape[-1]
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d_k)
    if mask is not None:
        mask = np.broadcast_to(np.asarray(mask, dtype=bool), scores.shape)
        scores = np.where(mask, scores, -np.inf)
        empty = ~mask.any(axis=-2, keepdims=True)
    else:
        empty = np.zeros(scores.shape[:-2] + (1, scores.shape[-1]), dtype=bool)
    mx = scores.max(axis=-2, keepdims=True)
    mx = np.where(empty, 0.0, mx)
    e = np.exp(scores - mx)
    tot = e.sum(axis=-2, keepdims=True)
    weights = np.where(empty, 0.0, e / np.where(empty, 1.0, tot))
    return weights @ V, weights
