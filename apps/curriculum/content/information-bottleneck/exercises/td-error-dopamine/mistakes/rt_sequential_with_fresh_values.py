# mistake: the loop updates V[t - 1] first and records delta_t afterwards, so the recorded error uses the already-updated previous value (the update itself is right); record delta_t from the values before the update.
# diagnosis: errors-after-update
import numpy as np


def td_dopamine(rewards, cue, gamma, alpha, values0):
    rewards = np.asarray(rewards, dtype=float)
    V = np.array(values0, dtype=float)
    n_trials, n = rewards.shape
    errors = np.zeros((n_trials, n))
    for m in range(n_trials):
        r = rewards[m]
        for t in range(n):
            if t - 1 >= cue:
                V[t - 1] += alpha * (r[t] + gamma * V[t] - V[t - 1])
            prev = V[t - 1] if t >= 1 else 0.0
            errors[m, t] = r[t] + gamma * V[t] - prev
    return errors, V
