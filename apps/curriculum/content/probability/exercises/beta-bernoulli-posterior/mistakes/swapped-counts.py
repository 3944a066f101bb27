# diagnosis: swapped-counts
import numpy as np


def beta_bernoulli_updates(x, a, b):
    x = np.asarray(x, dtype=float)
    heads = np.concatenate([[0.0], np.cumsum(x)])
    t = np.arange(x.size + 1)
    return np.stack([a + (t - heads), b + heads], axis=1)


def running_mle(x):
    x = np.asarray(x, dtype=float)
    return np.cumsum(x) / np.arange(1, x.size + 1)
