# mistake: the entropy uses (1+m)/2 log(1+m) + (1-m)/2 log(1-m), dropping the 1/2 inside the logarithms (a constant -log 2 / beta off); use log((1 +- m)/2).
# diagnosis: log-without-halves
import numpy as np


def _xlogx(x):
    x = np.asarray(x, dtype=float)
    safe = np.where(x > 0, x, 1.0)
    return np.where(x > 0, x * np.log(safe), 0.0)


def mean_field_free_energy(m, beta, J, z, h):
    m = np.asarray(m, dtype=float)
    energy = -0.5 * J * z * m**2 - h * m
    entropy_term = (1 + m) / 2 * np.log(np.where(1 + m > 0, 1 + m, 1.0)) + (1 - m) / 2 * np.log(
        np.where(1 - m > 0, 1 - m, 1.0)
    )
    return energy + entropy_term / beta


def mean_field_magnetisation(beta, J, z, h, m0, n_iter):
    beta = np.asarray(beta, dtype=float)
    m = np.full(beta.shape, float(m0))
    for _ in range(n_iter):
        m = np.tanh(beta * (J * z * m + h))
    return m
