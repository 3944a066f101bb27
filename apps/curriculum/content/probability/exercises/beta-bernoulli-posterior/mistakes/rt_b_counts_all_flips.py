# mistake: beta_bernoulli_updates adds every flip to b (b_t = b + t) instead of only the tails (b_t = b + t - k_t)
# diagnosis: b-counts-all-flips
import numpy as np


def beta_bernoulli_updates(x, a, b):
    x = np.asarray(x, dtype=float)
    n = len(x)
    k = np.concatenate([[0.0], np.cumsum(x)])
    t = np.arange(n + 1)
    return np.stack([a + k, b + t], axis=1).astype(float)


def running_mle(x):
    x = np.asarray(x, dtype=float)
    return np.cumsum(x) / np.arange(1, len(x) + 1)
