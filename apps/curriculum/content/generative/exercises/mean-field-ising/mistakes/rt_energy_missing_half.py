# mistake: the energy part is -J z m^2 instead of -(J z / 2) m^2; each bond is shared by two spins.
# diagnosis: energy-missing-half
import numpy as np


def _xlogx(x):
    x = np.asarray(x, dtype=float)
    safe = np.where(x > 0, x, 1.0)
    return np.where(x > 0, x * np.log(safe), 0.0)


def mean_field_free_energy(m, beta, J, z, h):
    m = np.asarray(m, dtype=float)
    energy = -J * z * m**2 - h * m
    entropy_term = _xlogx((1 + m) / 2) + _xlogx((1 - m) / 2)
    return energy + entropy_term / beta


def mean_field_magnetisation(beta, J, z, h, m0, n_iter):
    beta = np.asarray(beta, dtype=float)
    m = np.full(beta.shape, float(m0))
    for _ in range(n_iter):
        m = np.tanh(beta * (J * z * m + h))
    return m
