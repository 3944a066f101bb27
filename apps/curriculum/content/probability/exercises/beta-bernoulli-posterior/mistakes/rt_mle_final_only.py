# mistake: running_mle repeats the final estimate k_n / n at every step instead of the running estimate k_t / t after each flip; use np.cumsum(x) / np.arange(1, n + 1)
# diagnosis: mle-final-only
import numpy as np


def beta_bernoulli_updates(x, a, b):
    x = np.asarray(x, dtype=float)
    n = len(x)
    k = np.concatenate([[0.0], np.cumsum(x)])
    t = np.arange(n + 1)
    return np.stack([a + k, b + t - k], axis=1)


def running_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        return np.zeros(0)
    return np.full(x.size, x.mean())
