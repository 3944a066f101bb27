import numpy as np


def information_bottleneck(pxy, beta, q0, n_iter):
    """Iterative IB. Returns (encoder q(t|x) of shape (nx, nt), I(X;T), I(T;Y)) in nats."""
    pxy = np.asarray(pxy, dtype=float)
    encoder = np.asarray(q0, dtype=float)
    # TODO: apply the self-consistent updates n_iter times and compute the two informations
    return encoder, 0.0, 0.0
