import math

import numpy as np


def poisson_channel(rates, duration, n_max):
    """p(n | s), shape (S, n_max + 1); the last column is the tail P(N >= n_max)."""
    lam = np.asarray(rates, dtype=float) * float(duration)
    n = np.arange(n_max)
    log_fact = np.array([math.lgamma(k + 1.0) for k in n])
    log_lam = np.log(np.where(lam > 0, lam, 1.0))
    head = np.exp(-lam[:, None] + n[None, :] * log_lam[:, None] - log_fact[None, :])
    # A zero rate: P(N = 0) = 1 (0^0 = 1) and every other count is impossible.
    head[lam == 0, 1:] = 0.0
    tail = np.clip(1.0 - head.sum(axis=1, keepdims=True), 0.0, 1.0)
    return np.concatenate([head, tail], axis=1)


def stimulus_information(p_s, rates, duration, n_max):
    """I(S; N) in nats."""
    joint = np.asarray(p_s, dtype=float)[:, None] * poisson_channel(rates, duration, n_max)
    outer = joint.sum(axis=1, keepdims=True) * joint.sum(axis=0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log(joint[nz] / outer[nz])))
