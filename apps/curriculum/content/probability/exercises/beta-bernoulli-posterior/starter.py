import numpy as np


def beta_bernoulli_updates(x, a, b):
    """Rows (a_t, b_t) of the Beta posterior after t = 0..n observations; shape (n + 1, 2)."""
    x = np.asarray(x, dtype=float)
    rows = [(a, b)]
    for value in x:
        # TODO: this counts the heads; what should happen to b?
        rows.append((rows[-1][0] + value, rows[-1][1]))
    return np.array(rows, dtype=float)


def running_mle(x):
    """k_t / t for t = 1..n; shape (n,)."""
    x = np.asarray(x, dtype=float)
    return np.full(x.size, 0.5)  # TODO
