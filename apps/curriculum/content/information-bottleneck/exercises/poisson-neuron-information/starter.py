import math

import numpy as np


def poisson_channel(rates, duration, n_max):
    """p(n | s), shape (S, n_max + 1); the last column is the tail P(N >= n_max)."""
    lam = np.asarray(rates, dtype=float) * duration
    n = np.arange(n_max + 1)
    fact = np.array([math.factorial(k) for k in n], dtype=float)
    # TODO: overflows for large counts, and the last column should be the whole tail
    return np.exp(-lam)[:, None] * lam[:, None] ** n / fact


def stimulus_information(p_s, rates, duration, n_max):
    """I(S; N) in nats."""
    return 0.0
