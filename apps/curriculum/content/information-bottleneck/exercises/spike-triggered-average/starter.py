import numpy as np


def spike_triggered_average(stimuli, spikes):
    """Count-weighted average of the centred stimuli; zeros when there are no spikes."""
    stimuli = np.asarray(stimuli, dtype=float)
    spikes = np.asarray(spikes, dtype=float)
    # TODO: centre the stimuli, weight each row by its count, divide by the number of spikes
    return stimuli[spikes > 0].mean(axis=0)


def whitened_sta(stimuli, spikes):
    """C^-1 times the STA, with C the stimulus covariance normalised by T."""
    # TODO: undo the stimulus correlations
    return spike_triggered_average(stimuli, spikes)
