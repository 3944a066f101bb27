# diagnosis: no-tail
import math

import numpy as np


def poisson_channel(rates, duration, n_max):
    lam = np.asarray(rates, dtype=float) * float(duration)
    n = np.arange(n_max + 1)
    log_fact = np.array([math.lgamma(k + 1.0) for k in n])
    log_lam = np.log(np.where(lam > 0, lam, 1.0))
    head = np.exp(-lam[:, None] + n[None, :] * log_lam[:, None] - log_fact[None, :])
    head[lam == 0, 1:] = 0.0
    return head  # last column is P(N = n_max), not the tail


def stimulus_information(p_s, rates, duration, n_max):
    joint = np.asarray(p_s, dtype=float)[:, None] * poisson_channel(rates, duration, n_max)
    joint = joint / joint.sum()
    outer = joint.sum(axis=1, keepdims=True) * joint.sum(axis=0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log(joint[nz] / outer[nz])))
