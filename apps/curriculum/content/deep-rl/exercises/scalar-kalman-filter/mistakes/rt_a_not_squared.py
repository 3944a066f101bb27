# mistake: the predicted variance is a P + sigma_w^2 instead of a^2 P + sigma_w^2; variances scale with the square of the coefficient.
# diagnosis: a-not-squared
import numpy as np


def kalman_filter(y, a, c, process_var, obs_var, m0, p0):
    y = np.asarray(y, dtype=float)
    T = len(y)
    means = np.zeros(T)
    variances = np.zeros(T)
    m, p = m0, p0
    for t in range(T):
        m_pred = a * m
        p_pred = a * p + process_var
        S = c * c * p_pred + obs_var
        K = c * p_pred / S
        m = m_pred + K * (y[t] - c * m_pred)
        p = p_pred * obs_var / S
        means[t] = m
        variances[t] = p
    return means, variances
