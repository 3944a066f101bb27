import numpy as np


def beta_bernoulli_updates(x, a, b):
    """Rows (a_t, b_t) of the Beta posterior after t = 0..n observations; shape (n + 1, 2)."""
    x = np.asarray(x, dtype=float)
    heads = np.concatenate([[0.0], np.cumsum(x)])
    t = np.arange(x.size + 1, dtype=float)
    return np.stack([a + heads, b + (t - heads)], axis=1)


def running_mle(x):
    """k_t / t for t = 1..n; shape (n,)."""
    x = np.asarray(x, dtype=float)
    return np.cumsum(x) / np.arange(1, x.size + 1)
