# mistake: the mask is applied by zeroing forbidden weights after an unmasked softmax, so the allowed weights no longer sum to one; set forbidden scores to -inf before the softmax.
# diagnosis: mask-after-softmax
import numpy as np


def attention_backward(Q, K, V, dO, mask=None):
    Q = np.asarray(Q, dtype=np.float64)
    K = np.asarray(K, dtype=np.float64)
    V = np.asarray(V, dtype=np.float64)
    dO = np.asarray(dO, dtype=np.float64)
    dk = Q.shape[1]
    S = Q @ K.T / np.sqrt(dk)
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
    m = S.max(axis=1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    E = np.exp(S - m)
    Z = E.sum(axis=1, keepdims=True)
    P = E / Z
    if mask is not None:
        P = P * mask
    dV = P.T @ dO
    dP = dO @ V.T
    r = (dP * P).sum(axis=1, keepdims=True)
    dS = P * (dP - r)
    dQ = dS @ K / np.sqrt(dk)
    dK = dS.T @ Q / np.sqrt(dk)
    return dQ, dK, dV
