# mistake: a row whose mask allows nothing has max -inf and exp(-inf - (-inf)) = NaN; the code does not handle it, so weights and outputs are NaN; give such rows zero weights.
# diagnosis: empty-row-nan
import numpy as np


def attention(Q, K, V, mask=None):
    Q, K, V = (np.asarray(a, dtype=float) for a in (Q, K, V))
    d_k = Q.shape[-1]
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d_k)
    if mask is not None:
        mask = np.broadcast_to(np.asarray(mask, dtype=bool), scores.shape)
        scores = np.where(mask, scores, -np.inf)
        empty = ~mask.any(axis=-1, keepdims=True)
    else:
        empty = np.zeros(scores.shape[:-1] + (1,), dtype=bool)
    mx = scores.max(axis=-1, keepdims=True)
    e = np.exp(scores - mx)
    tot = e.sum(axis=-1, keepdims=True)
    weights = e / tot
    return weights @ V, weights
