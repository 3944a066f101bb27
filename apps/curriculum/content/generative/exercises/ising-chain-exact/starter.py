import itertools

import numpy as np


def ring_magnetisation(N, beta, J, h):
    """Exact <(1/N) sum_i s_i> of a ring of N Ising spins, by enumerating all 2^N states."""
    S = np.array(list(itertools.product([-1.0, 1.0], repeat=int(N))))
    # TODO: weight each configuration by exp(-beta E); this average gives them equal weights,
    # which is only right at infinite temperature
    return np.full(np.atleast_1d(beta).shape, S.mean(axis=1).mean())


def chain_magnetisation(beta, J, h):
    """sinh(bh) / sqrt(sinh(bh)^2 + exp(-4bJ)), written as sign(h) / sqrt(1 + exp(-2L))."""
    beta = np.asarray(beta, dtype=float)
    # TODO: this overflows for large beta * h and gives 0/0 when h = 0 and beta is large
    return np.sinh(beta * h) / np.sqrt(np.sinh(beta * h) ** 2 + np.exp(-4 * beta * J))
