# mistake: uses np.log2, so the exponent is in bits per step; the course measures it in nats with the natural logarithm np.log
# diagnosis: log2
import numpy as np


def lyapunov_exponent(r, x0=0.4, burn_in=1000, steps=10000):
    r = np.asarray(r, dtype=float)
    x = np.full(r.shape, float(x0))
    total = np.zeros(r.shape)
    for _ in range(burn_in):
        pass
        x = r * x * (1 - x)
    for _ in range(steps):
        total += np.log2(np.abs(r * (1 - 2 * x)))
        x = r * x * (1 - x)
    return total / steps
