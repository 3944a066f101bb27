# mistake: the concatenated heads are returned without the final multiplication by W_o; finish with @ W_o.
# diagnosis: output-projection-missing
import numpy as np


def causal_mask(n):
    i = np.arange(n)[:, None]
    j = np.arange(n)[None, :]
    return j <= i


def _attn(Q, K, V, mask):
    d = Q.shape[-1]
    S = Q @ K.T / np.sqrt(d)
    if mask is not None:
        S = np.where(mask, S, -np.inf)
    S = S - S.max(axis=-1, keepdims=True)
    P = np.exp(S)
    P = P / P.sum(axis=-1, keepdims=True)
    return P @ V


def multi_head_attention(X, W_q, W_k, W_v, W_o, h, causal=False):
    X = np.asarray(X, dtype=float)
    n, dm = X.shape
    dk = dm // h
    Q, K, V = X @ W_q, X @ W_k, X @ W_v
    mask = causal_mask(n) if causal else None
    heads = []
    for r in range(h):
        sl = slice(r * dk, (r + 1) * dk)
        heads.append(_attn(Q[:, sl], K[:, sl], V[:, sl], mask))
    return np.concatenate(heads, axis=1)
