# mistake: the scores are divided by sqrt(d_v) (the value width) instead of sqrt(d_k); scale by the key width.
# diagnosis: scaled-by-value-width
import numpy as np


def attention(Q, K, V, mask=None):
    Q, K, V = (np.asarray(a, dtype=float) for a in (Q, K, V))
    d_k = V.shape[-1]
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d_k)
    if mask is not None:
        mask = np.broadcast_to(np.asarray(mask, dtype=bool), scores.shape)
        scores = np.where(mask, scores, -np.inf)
        empty = ~mask.any(axis=-1, keepdims=True)
    else:
        empty = np.zeros(scores.shape[:-1] + (1,), dtype=bool)
    mx = scores.max(axis=-1, keepdims=True)
    mx = np.where(empty, 0.0, mx)
    e = np.exp(scores - mx)
    tot = e.sum(axis=-1, keepdims=True)
    weights = np.where(empty, 0.0, e / np.where(empty, 1.0, tot))
    return weights @ V, weights
