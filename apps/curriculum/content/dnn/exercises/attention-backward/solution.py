import numpy as np


def attention_backward(Q, K, V, dO, mask=None):
    """Gradients (dQ, dK, dV) of scaled dot-product attention, given dO."""
    Q, K, V, dO = (np.asarray(a, dtype=float) for a in (Q, K, V, dO))
    scale = 1.0 / np.sqrt(Q.shape[-1])
    scores = Q @ K.T * scale
    allowed = np.ones(scores.shape, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    empty = ~allowed.any(axis=1, keepdims=True)
    scores = np.where(allowed, scores, -np.inf)
    top = np.where(empty, 0.0, scores.max(axis=1, keepdims=True))
    exp = np.where(allowed, np.exp(scores - top), 0.0)
    P = exp / np.where(empty, 1.0, exp.sum(axis=1, keepdims=True))
    dV = P.T @ dO
    dP = dO @ V.T
    dS = P * (dP - (dP * P).sum(axis=1, keepdims=True))
    return dS @ K * scale, dS.T @ Q * scale, dV
