# mistake: computes I(X;T) from the final encoder but I(T;Y) from the q(t) and q(y|t) of the previous iterate (never recomputed after the last update); recompute both from the final encoder
# diagnosis: stale-marginals
import numpy as np


def _mi(j):
    o = j.sum(1, keepdims=True) * j.sum(0, keepdims=True)
    nz = j > 0
    return float((j[nz] * np.log(j[nz] / o[nz])).sum())


def information_bottleneck(pxy, beta, q0, n_iter):
    pxy = np.asarray(pxy, dtype=float)
    px = pxy.sum(1)
    pyx = pxy / px[:, None]
    q = np.array(q0, dtype=float)
    qt = px @ q
    qyt = (q * px[:, None]).T @ pyx / qt[:, None]
    for _ in range(n_iter):
        qt = px @ q
        qyt = (q * px[:, None]).T @ pyx / qt[:, None]
        kl = np.einsum("xy,xty->xt", pyx, np.log(pyx)[:, None, :] - np.log(qyt)[None, :, :])
        logits = np.log(qt)[None, :] - beta * kl
        logits -= logits.max(1, keepdims=True)
        q = np.exp(logits)
        q /= q.sum(1, keepdims=True)

    return q, _mi(px[:, None] * q), _mi(qt[:, None] * qyt)
