# mistake: uses the firing rates f(s) themselves as the Poisson means instead of the expected counts lambda_s = f(s) * duration
# diagnosis: rate-not-times-duration
import math

import numpy as np


def poisson_channel(rates, duration, n_max):
    lam = np.asarray(rates, dtype=float)
    out = np.zeros((len(lam), n_max + 1))
    for s, l in enumerate(lam):
        for n in range(n_max):
            out[s, n] = (
                (1.0 if n == 0 else 0.0)
                if l == 0
                else math.exp(-l + n * math.log(l) - math.lgamma(n + 1))
            )
        out[s, n_max] = max(0.0, 1.0 - out[s, :n_max].sum())
    return out


def stimulus_information(p_s, rates, duration, n_max):
    p_s = np.asarray(p_s, dtype=float)
    joint = p_s[:, None] * poisson_channel(rates, duration, n_max)
    ps = joint.sum(1, keepdims=True)
    pn = joint.sum(0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log(joint[nz] / (ps * pn)[nz])))
