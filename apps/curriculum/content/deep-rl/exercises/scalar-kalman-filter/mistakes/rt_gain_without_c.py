# mistake: the gain is P^- / (c^2 P^- + sigma_v^2), missing the factor c in the numerator (wrong for c != 1, and the wrong sign for negative c); K = c P^- / (c^2 P^- + sigma_v^2).
# diagnosis: gain-without-c
import numpy as np


def kalman_filter(y, a, c, process_var, obs_var, m0, p0):
    y = np.asarray(y, dtype=float)
    T = len(y)
    means = np.zeros(T)
    variances = np.zeros(T)
    m, p = m0, p0
    for t in range(T):
        m_pred = a * m
        p_pred = a * a * p + process_var
        S = c * c * p_pred + obs_var
        K = p_pred / S
        m = m_pred + K * (y[t] - c * m_pred)
        p = (1 - K * c) * p_pred
        means[t] = m
        variances[t] = p
    return means, variances
