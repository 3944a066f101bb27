# mistake: the innovation is y_t - m_t^- instead of y_t - c m_t^-; the measurement predicts c times the state.
# diagnosis: innovation-without-c
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
        K = c * p_pred / S
        m = m_pred + K * (y[t] - m_pred)
        p = p_pred * obs_var / S
        means[t] = m
        variances[t] = p
    return means, variances
