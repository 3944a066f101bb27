import numpy as np


def bootstrap_replicates(x, indices, statistic="mean"):
    """The statistic of every resample x[indices[b]]; shape (B,)."""
    x = np.asarray(x, dtype=float)
    # TODO: compute the statistic of each resample, one per row of indices.
    return np.full(len(indices), x.mean())


def percentile_interval(replicates, level=0.95):
    """The (1 - level)/2 and (1 + level)/2 quantiles of the replicates."""
    r = np.asarray(replicates, dtype=float)
    # TODO: a percentile interval, not mean +/- two standard deviations.
    return float(r.mean() - 2 * r.std()), float(r.mean() + 2 * r.std())
