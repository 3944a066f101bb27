# mistake: the magnetisation loop runs n_iter + 1 times (range(n_iter + 1)); apply the map exactly n_iter times.
# diagnosis: one-extra-iteration
import numpy as np


def _xlogx(x):
    x = np.asarray(x, dtype=float)
    safe = np.where(x > 0, x, 1.0)
    return np.where(x > 0, x * np.log(safe), 0.0)


def mean_field_free_energy(m, beta, J, z, h):
    m = np.asarray(m, dtype=float)
    energy = -0.5 * J * z * m**2 - h * m
    entropy_term = _xlogx((1 + m) / 2) + _xlogx((1 - m) / 2)
    return energy + entropy_term / beta


def mean_field_magnetisation(beta, J, z, h, m0, n_iter):
    beta = np.asarray(beta, dtype=float)
    m = np.full(beta.shape, float(m0))
    for _ in range(n_iter + 1):
        m = np.tanh(beta * (J * z * m + h))
    return m
