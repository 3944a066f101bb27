# mistake: divides the sum of steps terms by steps - 1 (as for an unbiased variance) instead of steps; the average of N terms divides by N
# diagnosis: divides-by-steps-minus-one
import numpy as np


def lyapunov_exponent(r, x0=0.4, burn_in=1000, steps=10000):
    r = np.asarray(r, dtype=float)
    x = np.full(r.shape, float(x0))
    total = np.zeros(r.shape)
    for _ in range(burn_in):
        pass
        x = r * x * (1 - x)
    for _ in range(steps):
        total += np.log(np.abs(r * (1 - 2 * x)))
        x = r * x * (1 - x)
    return total / (steps - 1)
