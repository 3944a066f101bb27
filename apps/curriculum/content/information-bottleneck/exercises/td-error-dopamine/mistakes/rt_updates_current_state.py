# mistake: the error delta_t updates V[t] (the current state) instead of V[t - 1] (the state before it); the state before the error learns.
# diagnosis: updates-current-state
import numpy as np


def td_dopamine(rewards, cue, gamma, alpha, values0):
    rewards = np.asarray(rewards, dtype=float)
    V = np.array(values0, dtype=float)
    n_trials, n = rewards.shape
    errors = np.zeros((n_trials, n))
    for m in range(n_trials):
        r = rewards[m]
        Vprev = np.concatenate([[0.0], V[:-1]])
        delta = r + gamma * V - Vprev
        errors[m] = delta
        for t in range(0, n - 1):
            if t >= cue:
                V[t] += alpha * delta[t]
    return errors, V
