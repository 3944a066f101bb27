# mistake: the mask zeroes forbidden weights after an unmasked softmax, so the allowed weights do not renormalise to one; set forbidden scores to -inf before the softmax.
# diagnosis: mask-after-softmax
import numpy as np


def attention(Q, K, V, mask=None):
    Q, K, V = (np.asarray(a, dtype=float) for a in (Q, K, V))
    d_k = Q.shape[-1]
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d_k)
    if mask is not None:
        mask = np.broadcast_to(np.asarray(mask, dtype=bool), scores.shape)
        empty = ~mask.any(axis=-1, keepdims=True)
    else:
        empty = np.zeros(scores.shape[:-1] + (1,), dtype=bool)
    mx = scores.max(axis=-1, keepdims=True)
    mx = np.where(empty, 0.0, mx)
    e = np.exp(scores - mx)
    tot = e.sum(axis=-1, keepdims=True)
    weights = e / tot
    if mask is not None:
        weights = weights * mask
    return weights @ V, weights
