# mistake: the ring energy leaves out the bond between spin N and spin 1 (S[:, :-1] * S[:, 1:]), an open chain instead of a ring; use np.roll to close the ring.
# diagnosis: open-chain
import itertools

import numpy as np


def ring_magnetisation(N, beta, J, h):
    S = np.array(list(itertools.product([-1.0, 1.0], repeat=int(N))))
    E = -J * np.sum(S[:, :-1] * S[:, 1:], axis=1) - h * S.sum(axis=1)
    m = S.mean(axis=1)
    out = []
    for b in np.atleast_1d(np.asarray(beta, dtype=float)):
        logw = -b * E
        w = np.exp(logw - logw.max())
        out.append(np.sum(w * m) / np.sum(w))
    return np.array(out)


def _log_abs_sinh(a):
    a = np.abs(a)
    small = a < 20
    with np.errstate(divide="ignore"):
        res_small = np.log(np.sinh(np.where(small, a, 1.0)))
    res_big = a + np.log1p(-np.exp(-2 * a)) - np.log(2.0)
    return np.where(small, res_small, res_big)


def chain_magnetisation(beta, J, h):
    beta = np.asarray(beta, dtype=float)
    if h == 0:
        return np.zeros_like(beta)
    L = _log_abs_sinh(beta * h) + 2 * beta * J
    with np.errstate(over="ignore"):
        return np.sign(h) / np.sqrt(1 + np.exp(-2 * L))
