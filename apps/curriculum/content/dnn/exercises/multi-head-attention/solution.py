import numpy as np


def causal_mask(n):
    """True where key j <= query i."""
    return np.tril(np.ones((n, n), dtype=bool))


def multi_head_attention(X, W_q, W_k, W_v, W_o, h, causal=False):
    """h-head self-attention of the rows of X; shape (n, d_model)."""
    X = np.asarray(X, dtype=float)
    n, d_model = X.shape
    d_k = d_model // h

    def heads(W):
        return (X @ np.asarray(W, dtype=float)).reshape(n, h, d_k).transpose(1, 0, 2)

    Q, K, V = heads(W_q), heads(W_k), heads(W_v)
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d_k)
    if causal:
        scores = np.where(causal_mask(n), scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    out = (weights @ V).transpose(1, 0, 2).reshape(n, d_model)
    return out @ np.asarray(W_o, dtype=float)
