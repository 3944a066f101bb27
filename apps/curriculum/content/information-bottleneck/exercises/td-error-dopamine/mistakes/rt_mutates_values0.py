# mistake: the values are updated in the caller's values0 array (np.asarray does not copy); copy values0 first.
# diagnosis: modifies-values0
import numpy as np


def td_dopamine(rewards, cue, gamma, alpha, values0):
    rewards = np.asarray(rewards, dtype=float)
    V = np.asarray(values0, dtype=float)
    n_trials, n = rewards.shape
    errors = np.zeros((n_trials, n))
    for m in range(n_trials):
        r = rewards[m]
        Vprev = np.concatenate([[0.0], V[:-1]])
        delta = r + gamma * V - Vprev
        errors[m] = delta
        for t in range(1, n):
            if t - 1 >= cue:
                V[t - 1] += alpha * delta[t]
    return errors, V
