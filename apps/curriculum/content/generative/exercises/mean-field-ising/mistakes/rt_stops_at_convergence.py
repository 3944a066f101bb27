# mistake: the iteration stops early once successive values change by less than 1e-8 and the array is iterated until all converge, which differs from n_iter steps where convergence is slow and at n_iter = 0; apply the map exactly n_iter times.
# diagnosis: stops-at-convergence
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
    for _ in range(n_iter):
        new = np.tanh(beta * (J * z * m + h))
        if np.max(np.abs(new - m)) < 1e-6:
            m = new
            break
        m = new
    return m
