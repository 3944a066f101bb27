# mistake: each step updates with y_t before predicting, so y_1 is applied to the prior of x_0 and the stored belief is the prediction for the next step; predict first, then update.
# diagnosis: update-before-predict
import numpy as np


def kalman_filter(y, a, c, process_var, obs_var, m0, p0):
    y = np.asarray(y, dtype=float)
    T = len(y)
    means = np.zeros(T)
    variances = np.zeros(T)
    m, p = m0, p0
    for t in range(T):
        S = c * c * p + obs_var
        K = c * p / S
        m = m + K * (y[t] - c * m)
        p = p * obs_var / S
        m = a * m
        p = a * a * p + process_var
        means[t] = m
        variances[t] = p
    return means, variances
