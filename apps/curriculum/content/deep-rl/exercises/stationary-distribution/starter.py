import numpy as np


def stationary_distribution(P):
    """Stationary distribution pi of the row-stochastic matrix P: pi @ P == pi, sum(pi) == 1."""
    P = np.asarray(P, dtype=float)
    mu = np.full(P.shape[0], 1.0 / P.shape[0])
    # TODO: one step of the chain is not enough; find the distribution that does not change.
    return mu @ P
