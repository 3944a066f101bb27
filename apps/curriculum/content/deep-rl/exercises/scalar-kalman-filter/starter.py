import numpy as np


def kalman_filter(y, a, c, process_var, obs_var, m0, p0):
    """Filtered means and variances of x_t given y_1..y_t for the scalar linear-Gaussian model."""
    y = np.asarray(y, dtype=float)
    means = np.empty_like(y)
    variances = np.empty_like(y)
    m, p = float(m0), float(p0)
    for t in range(y.shape[0]):
        # TODO: predict (m, p) one step ahead, then update with the measurement y[t]
        means[t] = m
        variances[t] = p
    return means, variances
