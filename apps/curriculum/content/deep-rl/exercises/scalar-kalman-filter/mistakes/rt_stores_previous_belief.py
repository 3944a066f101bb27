# mistake: the loop records the belief before processing y_t (the previous step's m, P, starting with the prior) instead of after its update; record after the update.
# diagnosis: stores-previous-belief
import numpy as np


def kalman_filter(y, a, c, process_var, obs_var, m0, p0):
    y = np.asarray(y, dtype=float)
    T = len(y)
    means = np.zeros(T)
    variances = np.zeros(T)
    m, p = m0, p0
    for t in range(T):
        means[t] = m
        variances[t] = p
        m_pred = a * m
        p_pred = a * a * p + process_var
        S = c * c * p_pred + obs_var
        K = c * p_pred / S
        m = m_pred + K * (y[t] - c * m_pred)
        p = p_pred * obs_var / S
    return means, variances
