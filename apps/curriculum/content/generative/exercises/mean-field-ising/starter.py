import numpy as np


def mean_field_free_energy(m, beta, J, z, h):
    """f(m) = -J z m^2 / 2 - h m + (1/beta) * sum over the two spin states of q log q."""
    m = np.asarray(m, dtype=float)
    # TODO: add the entropy term, with 0 log 0 = 0 at m = -1 and m = 1
    return -0.5 * J * z * m**2 - h * m


def mean_field_magnetisation(beta, J, z, h, m0, n_iter):
    """n_iter steps of m <- tanh(beta (J z m + h)) from m0, for every beta at once."""
    beta = np.asarray(beta, dtype=float)
    m = np.full(beta.shape, float(m0))
    # TODO: iterate the self-consistency map n_iter times
    return m
