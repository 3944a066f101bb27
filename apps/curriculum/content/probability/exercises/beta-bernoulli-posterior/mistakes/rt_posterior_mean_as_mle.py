# mistake: running_mle returns the posterior mean under a uniform prior, (k_t + 1) / (t + 2), instead of the maximum-likelihood k_t / t
# diagnosis: posterior-mean-as-mle
import numpy as np


def beta_bernoulli_updates(x, a, b):
    x = np.asarray(x, dtype=float)
    n = len(x)
    k = np.concatenate([[0.0], np.cumsum(x)])
    t = np.arange(n + 1)
    return np.stack([a + k, b + t - k], axis=1)


def running_mle(x):
    x = np.asarray(x, dtype=float)
    t = np.arange(1, len(x) + 1)
    return (np.cumsum(x) + 1) / (t + 2)
