# mistake: beta_bernoulli_updates builds the table with np.zeros_like on the integer flips, so an integer array silently truncates non-integer priors like a = 2.7; allocate a float array (np.zeros((n + 1, 2)))
# diagnosis: integer-table
import numpy as np


def beta_bernoulli_updates(x, a, b):
    x = np.asarray(x)
    n = len(x)
    out = np.zeros_like(x, shape=(n + 1, 2))
    k = np.concatenate([[0], np.cumsum(x)])
    t = np.arange(n + 1)
    out[:, 0] = a + k
    out[:, 1] = b + t - k
    return out


def running_mle(x):
    x = np.asarray(x, dtype=float)
    return np.cumsum(x) / np.arange(1, len(x) + 1)
