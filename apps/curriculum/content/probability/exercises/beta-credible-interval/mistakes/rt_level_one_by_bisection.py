# mistake: level = 1 is not returned directly: bisection for q = 1 stops where F rounds to 1, a little below t = 1 (and q = 0 gives a tiny positive t); return (0.0, 1.0) for level 1.
# diagnosis: level-one-by-bisection
import math

import numpy as np


def _cdf_scalar(t, a, b):
    if t <= 0.0:
        return 0.0
    if t >= 1.0:
        return 1.0
    m = a + b - 1
    lt, l1t = math.log(t), math.log1p(-t)
    lg = math.lgamma(m + 1)
    total = 0.0
    for j in range(a, m + 1):
        total += math.exp(lg - math.lgamma(j + 1) - math.lgamma(m - j + 1) + j * lt + (m - j) * l1t)
    return min(total, 1.0)


def beta_cdf(t, a, b):
    t = np.asarray(t, dtype=float)
    a, b = int(a), int(b)
    out = np.array([_cdf_scalar(float(v), a, b) for v in t.ravel()])
    return out.reshape(t.shape)


def _quantile(q, a, b):
    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if _cdf_scalar(mid, a, b) < q:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def beta_credible_interval(a, b, level=0.95):
    q = (1 - level) / 2
    return _quantile(q, int(a), int(b)), _quantile(1 - q, int(a), int(b))
