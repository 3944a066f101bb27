# mistake: the median of each resample is taken as the sorted middle value np.sort(...)[n // 2], which for an even n is the upper middle value instead of the average of the two middle ones; use np.median(..., axis=1).
# diagnosis: median-upper-middle
import numpy as np


def bootstrap_replicates(x, indices, statistic="mean"):
    x = np.asarray(x, dtype=float)
    idx = np.asarray(indices)
    res = x[idx]
    if statistic == "mean":
        return res.mean(axis=1)
    elif statistic == "median":
        return np.sort(res, axis=1)[:, res.shape[1] // 2]
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
    return _q(r, alpha / 2), _q(r, 1 - alpha / 2)
