import numpy as np


def bootstrap_replicates(x, indices, statistic="mean"):
    """The statistic of every resample x[indices[b]]; shape (B,)."""
    resamples = np.asarray(x, dtype=float)[np.asarray(indices)]
    if statistic == "mean":
        return resamples.mean(axis=1)
    if statistic == "median":
        return np.median(resamples, axis=1)
    raise ValueError(f"unknown statistic {statistic!r}")


def percentile_interval(replicates, level=0.95):
    """The (1 - level)/2 and (1 + level)/2 quantiles, linear interpolation."""
    r = np.sort(np.asarray(replicates, dtype=float))
    alpha = 1.0 - level

    def quantile(q):
        h = (r.size - 1) * q
        low = int(np.floor(h))
        if low >= r.size - 1:
            return float(r[-1])
        return float(r[low] + (h - low) * (r[low + 1] - r[low]))

    return quantile(alpha / 2), quantile(1 - alpha / 2)
