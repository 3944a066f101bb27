# mistake: computes lambda^n / n! directly in floating point, which overflows (lambda^n = inf, n! too large for a float) for means of a few hundred; work with logs: exp(-lambda + n log lambda - lgamma(n + 1))
# diagnosis: direct-powers
import math

import numpy as np


def poisson_channel(rates, duration, n_max):
    lam = np.asarray(rates, dtype=float) * duration
    n = np.arange(n_max)
    fact = np.array([float(math.factorial(k)) if k < 171 else np.inf for k in n])
    with np.errstate(over="ignore", invalid="ignore"):
        head = np.exp(-lam)[:, None] * lam[:, None] ** n / fact
    tail = 1.0 - head.sum(axis=1, keepdims=True)
    return np.hstack([head, tail])


def stimulus_information(p_s, rates, duration, n_max):
    p_s = np.asarray(p_s, dtype=float)
    joint = p_s[:, None] * poisson_channel(rates, duration, n_max)
    ps = joint.sum(1, keepdims=True)
    pn = joint.sum(0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log(joint[nz] / (ps * pn)[nz])))
