# mistake: computes log P(n) = -lambda + n log(lambda) - log n! for every rate, so a rate of exactly 0 gives 0 * log(0) = nan at n = 0; treat lambda = 0 separately (all mass on n = 0, since 0^0 = 1)
# diagnosis: zero-rate-nan
import math

import numpy as np


def poisson_channel(rates, duration, n_max):
    lam = np.asarray(rates, dtype=float) * duration
    n = np.arange(n_max)
    lg = np.array([math.lgamma(k + 1) for k in n])
    with np.errstate(divide="ignore", invalid="ignore"):
        head = np.exp(-lam[:, None] + n * np.log(lam)[:, None] - lg)
    tail = 1.0 - head.sum(axis=1, keepdims=True)
    return np.hstack([head, tail])


def stimulus_information(p_s, rates, duration, n_max):
    p_s = np.asarray(p_s, dtype=float)
    joint = p_s[:, None] * poisson_channel(rates, duration, n_max)
    ps = joint.sum(1, keepdims=True)
    pn = joint.sum(0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log(joint[nz] / (ps * pn)[nz])))
