import math
from functools import lru_cache

import numpy as np


@lru_cache(maxsize=64)
def _log_binomials(a, b):
    """j = a..m and log C(m, j) for m = a + b - 1."""
    m = a + b - 1
    j = np.arange(a, m + 1)
    log_comb = np.array(
        [math.lgamma(m + 1) - math.lgamma(k + 1) - math.lgamma(m - k + 1) for k in j]
    )
    return m, j, log_comb


def beta_cdf(t, a, b):
    """P(Theta <= t) for Theta ~ Beta(a, b), whole a, b >= 1; elementwise over t."""
    t = np.asarray(t, dtype=float)
    m, j, log_comb = _log_binomials(int(a), int(b))
    inside = np.clip(t, 1e-300, 1.0 - 1e-16)[..., None]
    terms = np.exp(log_comb + j * np.log(inside) + (m - j) * np.log1p(-inside))
    cdf = np.minimum(terms.sum(axis=-1), 1.0)
    return np.where(t <= 0.0, 0.0, np.where(t >= 1.0, 1.0, cdf))


def beta_credible_interval(a, b, level=0.95):
    """Equal-tailed credible interval of Beta(a, b) by bisection."""

    def quantile(q):
        if q <= 0.0:
            return 0.0
        if q >= 1.0:
            return 1.0
        lo, hi = 0.0, 1.0
        for _ in range(50):
            mid = 0.5 * (lo + hi)
            if beta_cdf(mid, a, b) < q:
                lo = mid
            else:
                hi = mid
        return 0.5 * (lo + hi)

    tail = (1.0 - level) / 2.0
    return quantile(tail), quantile(1.0 - tail)
