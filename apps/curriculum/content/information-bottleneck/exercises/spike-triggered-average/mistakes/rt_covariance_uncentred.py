# mistake: the whitening matrix is the uncentred second moment X^T X / T (no mean subtracted), wrong when the stimuli have a large mean; centre before forming C.
# diagnosis: covariance-uncentred
import numpy as np


def spike_triggered_average(stimuli, spikes):
    X = np.asarray(stimuli, dtype=float)
    n = np.asarray(spikes, dtype=float)
    total = n.sum()
    if total == 0:
        return np.zeros(X.shape[1])
    Xc = X - X.mean(axis=0)
    return (n[:, None] * Xc).sum(axis=0) / total


def whitened_sta(stimuli, spikes):
    X = np.asarray(stimuli, dtype=float)
    sta = spike_triggered_average(X, spikes)
    if not np.any(sta) and np.asarray(spikes).sum() == 0:
        return sta
    C = X.T @ X / X.shape[0]
    C = np.atleast_2d(C)
    return np.linalg.solve(C, sta)
