# mistake: percentile_interval uses q = 1 - level and q = level (0.05 and 0.95 for 95%) instead of alpha/2 and 1 - alpha/2; each tail holds (1 - level)/2.
# diagnosis: tails-not-halved
import numpy as np


def bootstrap_replicates(x, indices, statistic="mean"):
    x = np.asarray(x, dtype=float)
    idx = np.asarray(indices)
    res = x[idx]
    if statistic == "mean":
        return res.mean(axis=1)
    elif statistic == "median":
        return np.median(res, axis=1)
    raise ValueError(statistic)


def _q(r, q):
    B = len(r)
    h = (B - 1) * q
    f = int(np.floor(h))
    if f >= B - 1:
        return float(r[B - 1])
    return float(r[f] + (h - f) * (r[f + 1] - r[f]))


def percentile_interval(replicates, level=0.95):
    r = np.sort(np.asarray(replicates, dtype=float))
    alpha = 1 - level
    return _q(r, alpha), _q(r, 1 - alpha)
