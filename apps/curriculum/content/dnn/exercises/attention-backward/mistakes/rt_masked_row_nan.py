# mistake: a row whose mask allows nothing gets max = -inf, and exp(-inf - (-inf)) is NaN; the code does not guard this, so dQ, dK, dV turn NaN; replace the -inf maximum by 0 and give such rows zero weights.
# diagnosis: masked-row-nan
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
        S = np.where(mask, S, -np.inf)
    m = S.max(axis=1, keepdims=True)
    E = np.exp(S - m)
    Z = E.sum(axis=1, keepdims=True)
    P = E / Z
    dV = P.T @ dO
    dP = dO @ V.T
    r = (dP * P).sum(axis=1, keepdims=True)
    dS = P * (dP - r)
    dQ = dS @ K / np.sqrt(dk)
    dK = dS.T @ Q / np.sqrt(dk)
    return dQ, dK, dV
