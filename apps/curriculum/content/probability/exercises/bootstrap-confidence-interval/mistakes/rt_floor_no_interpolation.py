# mistake: the quantile takes the order statistic r[floor(h)] without interpolating towards r[floor(h) + 1]; add (h - floor(h)) * (r[floor(h)+1] - r[floor(h)]).
# diagnosis: no-interpolation
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
    return float(r[f])


def percentile_interval(replicates, level=0.95):
    r = np.sort(np.asarray(replicates, dtype=float))
    alpha = 1 - level
    return _q(r, alpha / 2), _q(r, 1 - alpha / 2)
