# mistake: extragradient applies the second step to the trial point (x_hat - lr*y_hat) instead of the ORIGINAL point (x_t - lr*y_hat), which is just two plain steps
# diagnosis: update-from-trial-point
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
        xh, yh = x - lr * y, y + lr * x
        x, y = xh - lr * yh, yh + lr * xh
        path.append((x, y))
    return np.array(path, dtype=float)
