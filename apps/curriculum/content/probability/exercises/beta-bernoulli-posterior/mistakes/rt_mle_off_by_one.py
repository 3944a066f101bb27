# mistake: running_mle divides the heads count k_t by t + 1 (np.arange(2, n + 2)) instead of t, so every estimate is shrunk; divide by np.arange(1, n + 1)
# diagnosis: mle-off-by-one
import numpy as np


def beta_bernoulli_updates(x, a, b):
    x = np.asarray(x, dtype=float)
    n = len(x)
    k = np.concatenate([[0.0], np.cumsum(x)])
    t = np.arange(n + 1)
    return np.stack([a + k, b + t - k], axis=1)


def running_mle(x):
    x = np.asarray(x, dtype=float)
    return np.cumsum(x) / np.arange(2, len(x) + 2)
