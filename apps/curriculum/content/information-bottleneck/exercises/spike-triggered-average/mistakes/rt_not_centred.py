# mistake: the stimuli are not centred (x_t instead of x_t - xbar), which is wrong when the mean stimulus is far from zero; subtract the mean stimulus first.
# diagnosis: not-centred
import numpy as np


def spike_triggered_average(stimuli, spikes):
    X = np.asarray(stimuli, dtype=float)
    n = np.asarray(spikes, dtype=float)
    total = n.sum()
    if total == 0:
        return np.zeros(X.shape[1])
    Xc = X
    return (n[:, None] * Xc).sum(axis=0) / total


def whitened_sta(stimuli, spikes):
    X = np.asarray(stimuli, dtype=float)
    sta = spike_triggered_average(X, spikes)
    if not np.any(sta) and np.asarray(spikes).sum() == 0:
        return sta
    Xc = X - X.mean(axis=0)
    C = np.cov(Xc, rowvar=False, bias=True)
    C = np.atleast_2d(C)
    return np.linalg.solve(C, sta)
