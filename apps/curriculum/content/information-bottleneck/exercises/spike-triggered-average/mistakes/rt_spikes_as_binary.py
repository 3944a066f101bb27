# mistake: the STA weights each bin by whether it spiked (spikes > 0) instead of by its count, so a bin with 3 spikes counts once; weight by the counts.
# diagnosis: spikes-as-binary
import numpy as np


def spike_triggered_average(stimuli, spikes):
    X = np.asarray(stimuli, dtype=float)
    n = (np.asarray(spikes) > 0).astype(float)
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
    Xc = X - X.mean(axis=0)
    C = np.cov(Xc, rowvar=False, bias=True)
    C = np.atleast_2d(C)
    return np.linalg.solve(C, sta)
