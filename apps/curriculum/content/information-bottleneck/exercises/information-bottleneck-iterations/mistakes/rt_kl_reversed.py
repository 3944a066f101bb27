# mistake: uses the reversed divergence D_KL(q(y|t) || p(y|x)) in the encoder update instead of D_KL(p(y|x) || q(y|t)); the first argument weights the log-ratio
# diagnosis: kl-reversed
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
        kl = np.einsum("ty,xty->xt", qyt, np.log(qyt)[None, :, :] - np.log(pyx)[:, None, :])
        logits = np.log(qt)[None, :] - beta * kl
        logits -= logits.max(1, keepdims=True)
        q = np.exp(logits)
        q /= q.sum(1, keepdims=True)
    qt = px @ q
    qyt = (q * px[:, None]).T @ pyx / qt[:, None]
    return q, _mi(px[:, None] * q), _mi(qt[:, None] * qyt)
