# diagnosis: advance-first
import numpy as np


def lyapunov_exponent(r, x0=0.4, burn_in=1000, steps=10000):
    r = np.asarray(r, dtype=float)
    x = np.full(r.shape, float(x0))
    for _ in range(burn_in):
        x = r * x * (1 - x)
    total = np.zeros(r.shape)
    for _ in range(steps):
        x = r * x * (1 - x)
        total += np.log(np.abs(r * (1 - 2 * x)))
    return total / steps
