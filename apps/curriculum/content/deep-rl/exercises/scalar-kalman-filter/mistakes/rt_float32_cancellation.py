# mistake: the filter runs in float32 with P = (1 - K c) P^-, which rounds to exactly 0 for the flat prior (K c = 1e8 / (1e8 + 1)); compute in float64 or use P = P^- sigma_v^2 / (c^2 P^- + sigma_v^2).
# diagnosis: float32-cancellation
import numpy as np


def kalman_filter(y, a, c, process_var, obs_var, m0, p0):
    y = np.asarray(y, dtype=np.float32)
    T = len(y)
    means = np.zeros(T, dtype=np.float32)
    variances = np.zeros(T, dtype=np.float32)
    m, p = np.float32(m0), np.float32(p0)
    a, c = np.float32(a), np.float32(c)
    process_var, obs_var = np.float32(process_var), np.float32(obs_var)
    for t in range(T):
        m_pred = a * m
        p_pred = a * a * p + process_var
        S = c * c * p_pred + obs_var
        K = c * p_pred / S
        m = m_pred + K * (y[t] - c * m_pred)
        p = (np.float32(1) - K * c) * p_pred
        means[t] = m
        variances[t] = p
    return means, variances
