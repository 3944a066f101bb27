# mistake: the discount multiplies the previous value (r_t + V_t - gamma V_{t-1}) instead of the current one; delta_t = r_t + gamma V_t - V_{t-1}.
# diagnosis: gamma-on-previous
import numpy as np


def td_dopamine(rewards, cue, gamma, alpha, values0):
    rewards = np.asarray(rewards, dtype=float)
    V = np.array(values0, dtype=float)
    n_trials, n = rewards.shape
    errors = np.zeros((n_trials, n))
    for m in range(n_trials):
        r = rewards[m]
        Vprev = np.concatenate([[0.0], V[:-1]])
        delta = r + V - gamma * Vprev
        errors[m] = delta
        for t in range(1, n):
            if t - 1 >= cue:
                V[t - 1] += alpha * delta[t]
    return errors, V
