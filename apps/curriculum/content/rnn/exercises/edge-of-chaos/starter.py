import numpy as np


def max_lyapunov(W, gains, h0, delta0, burn_in, steps):
    """Largest Lyapunov exponent of h <- tanh(g W h), one estimate per gain."""
    W = np.asarray(W, dtype=float)
    out = []
    for g in np.asarray(gains, dtype=float):
        # TODO: burn in the state, then follow a renormalised perturbation and average
        # the log of its growth per step; this is only log of the spectral norm of g W
        out.append(np.log(np.linalg.norm(g * W, 2)))
    return np.array(out)


def mean_field_exponent(gains, nodes, weights, n_iter):
    """0.5 log chi, with q iterated n_iter times from 1 and chi = g^2 E[(1 - tanh^2)^2]."""
    # TODO: iterate the variance map, then compute chi; log(g) is only right below g = 1
    return np.log(np.asarray(gains, dtype=float))
