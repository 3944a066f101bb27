# mistake: the errors are indexed as delta_t = r_{t+1} + gamma V_{t+1} - V_t (the Sutton-Barto convention), one step earlier than the prompt's delta_t = r_t + gamma V_t - V_{t-1}; use the prompt's indexing with V_{-1} = 0.
# diagnosis: sutton-index
import numpy as np


def td_dopamine(rewards, cue, gamma, alpha, values0):
    rewards = np.asarray(rewards, dtype=float)
    V = np.array(values0, dtype=float)
    n_trials, n = rewards.shape
    errors = np.zeros((n_trials, n))
    for m in range(n_trials):
        r = rewards[m]
        Vnext = np.concatenate([V[1:], [0.0]])
        rnext = np.concatenate([r[1:], [0.0]])
        delta = rnext + gamma * Vnext - V
        errors[m] = delta
        for t in range(0, n - 1):
            if t >= cue:
                V[t] += alpha * delta[t]
    return errors, V
