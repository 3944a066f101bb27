# mistake: the softmax backward uses dS = P * dP, forgetting to subtract the row sum r_i = sum_j dP_ij P_ij (the Jacobian is diag(p) - p p^T); use dS = P * (dP - r).
# diagnosis: softmax-no-correction
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
    m = np.where(np.isfinite(m), m, 0.0)
    E = np.exp(S - m)
    Z = E.sum(axis=1, keepdims=True)
    P = np.divide(E, Z, out=np.zeros_like(E), where=Z > 0)
    dV = P.T @ dO
    dP = dO @ V.T
    r = (dP * P).sum(axis=1, keepdims=True)
    dS = P * dP
    dQ = dS @ K / np.sqrt(dk)
    dK = dS.T @ Q / np.sqrt(dk)
    return dQ, dK, dV
