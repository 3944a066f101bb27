# mistake: the STA divides the weighted sum by the number of time bins T instead of the total number of spikes; divide by spikes.sum().
# diagnosis: divide-by-bins
import numpy as np


def spike_triggered_average(stimuli, spikes):
    X = np.asarray(stimuli, dtype=float)
    n = np.asarray(spikes, dtype=float)
    total = n.sum()
    if total == 0:
        return np.zeros(X.shape[1])
    Xc = X - X.mean(axis=0)
    return (n[:, None] * Xc).sum(axis=0) / len(n)


def whitened_sta(stimuli, spikes):
    X = np.asarray(stimuli, dtype=float)
    sta = spike_triggered_average(X, spikes)
    if not np.any(sta) and np.asarray(spikes).sum() == 0:
        return sta
    Xc = X - X.mean(axis=0)
    C = np.cov(Xc, rowvar=False, bias=True)
    C = np.atleast_2d(C)
    return np.linalg.solve(C, sta)
