# mistake: extragradient's trial step computes y_hat from the trial x_hat instead of from x_t (y_hat = y + lr*x_hat); both trial coordinates come from the current point
# diagnosis: sequential-trial-step
import numpy as np


def simultaneous_gda(x0, y0, lr, steps):
    path = [(x0, y0)]
    x, y = x0, y0
    for _ in range(steps):
        x, y = x - lr * y, y + lr * x
        path.append((x, y))
    return np.array(path, dtype=float)


def extragradient(x0, y0, lr, steps):
    path = [(x0, y0)]
    x, y = x0, y0
    for _ in range(steps):
        xh = x - lr * y
        yh = y + lr * xh
        x, y = x - lr * yh, y + lr * xh
        path.append((x, y))
    return np.array(path, dtype=float)
