# mistake: forgets to divide the decoder by q(t), using sum_x p(x) q(t|x) p(y|x), which is the joint q(t, y), as q(y|t); divide each row by q(t)
# diagnosis: decoder-not-normalised
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
    qyt = (q * px[:, None]).T @ pyx
    for _ in range(n_iter):
        qt = px @ q
        qyt = (q * px[:, None]).T @ pyx
        kl = np.einsum("xy,xty->xt", pyx, np.log(pyx)[:, None, :] - np.log(qyt)[None, :, :])
        logits = np.log(qt)[None, :] - beta * kl
        logits -= logits.max(1, keepdims=True)
        q = np.exp(logits)
        q /= q.sum(1, keepdims=True)
    qt = px @ q
    qyt = (q * px[:, None]).T @ pyx
    return q, _mi(px[:, None] * q), _mi(qt[:, None] * qyt)
