# mistake: also adds the log-derivative during the burn-in and divides by burn_in + steps, so the transient the burn-in should forget is averaged in; accumulate only over the steps after the burn-in
# diagnosis: counts-burn-in
import numpy as np


def lyapunov_exponent(r, x0=0.4, burn_in=1000, steps=10000):
    r = np.asarray(r, dtype=float)
    x = np.full(r.shape, float(x0))
    total = np.zeros(r.shape)
    for _ in range(burn_in):
        total += np.log(np.abs(r * (1 - 2 * x)))
        x = r * x * (1 - x)
    for _ in range(steps):
        total += np.log(np.abs(r * (1 - 2 * x)))
        x = r * x * (1 - x)
    return total / (burn_in + steps)
