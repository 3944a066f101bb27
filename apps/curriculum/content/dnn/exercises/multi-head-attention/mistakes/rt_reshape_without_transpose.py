# mistake: the heads are split by reshaping (n, d_model) straight to (h, n, d_k), which cuts the matrix into the wrong pieces; reshape to (n, h, d_k) and transpose to (h, n, d_k).
# diagnosis: heads-split-without-transpose
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
    Qh, Kh, Vh = (M.reshape(h, n, dk) for M in (Q, K, V))
    heads = [_attn(Qh[r], Kh[r], Vh[r], mask) for r in range(h)]
    O = np.stack(heads)
    return O.reshape(n, dm) @ W_o
