import numpy as np


def td_dopamine(rewards, cue, gamma, alpha, values0):
    """TD(0) on a tapped delay line over many trials; returns every trial's errors and the final values."""
    rewards = np.asarray(rewards, dtype=float)
    values = np.asarray(values0, dtype=float).copy()
    n = rewards.shape[1]
    errors = np.zeros_like(rewards)
    for trial, r in enumerate(rewards):
        previous = np.concatenate([[0.0], values[:-1]])
        delta = r + gamma * values - previous
        for t in range(1, n):
            if t - 1 >= cue:
                values[t - 1] += alpha * delta[t]
        errors[trial] = delta
    return errors, values
