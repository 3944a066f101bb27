import numpy as np


def spike_triggered_average(stimuli, spikes):
    """Count-weighted average of the centred stimuli; zeros when there are no spikes."""
    stimuli = np.asarray(stimuli, dtype=float)
    spikes = np.asarray(spikes, dtype=float)
    total = spikes.sum()
    if total == 0:
        return np.zeros(stimuli.shape[1])
    centred = stimuli - stimuli.mean(axis=0)
    return spikes @ centred / total


def whitened_sta(stimuli, spikes):
    """C^-1 times the STA, with C the stimulus covariance normalised by T."""
    stimuli = np.asarray(stimuli, dtype=float)
    centred = stimuli - stimuli.mean(axis=0)
    covariance = centred.T @ centred / stimuli.shape[0]
    return np.linalg.solve(covariance, spike_triggered_average(stimuli, spikes))
