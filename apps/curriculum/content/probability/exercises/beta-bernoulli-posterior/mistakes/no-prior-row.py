# diagnosis: no-prior-row
import numpy as np


def beta_bernoulli_updates(x, a, b):
    x = np.asarray(x, dtype=float)
    heads = np.cumsum(x)
    t = np.arange(1, x.size + 1)
    return np.stack([a + heads, b + (t - heads)], axis=1)


def running_mle(x):
    x = np.asarray(x, dtype=float)
    return np.cumsum(x) / np.arange(1, x.size + 1)
