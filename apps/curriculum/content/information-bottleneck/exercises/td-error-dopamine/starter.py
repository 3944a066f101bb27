import numpy as np


def td_dopamine(rewards, cue, gamma, alpha, values0):
    """TD(0) on a tapped delay line over many trials; returns every trial's errors and the final values."""
    rewards = np.asarray(rewards, dtype=float)
    values = np.asarray(values0, dtype=float).copy()
    errors = np.zeros_like(rewards)
    for trial, r in enumerate(rewards):
        # TODO: the TD error at every time step, then the value updates
        errors[trial] = r
    return errors, values
