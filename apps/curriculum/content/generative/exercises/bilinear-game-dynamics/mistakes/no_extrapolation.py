# diagnosis: no-extrapolation
import numpy as np


def simultaneous_gda(x0, y0, lr, steps):
    path, x, y = [(x0, y0)], float(x0), float(y0)
    for _ in range(steps):
        x, y = x - lr * y, y + lr * x
        path.append((x, y))
    return np.array(path, dtype=float)


def extragradient(x0, y0, lr, steps):
    path, x, y = [(x0, y0)], float(x0), float(y0)
    for _ in range(steps):
        x_hat, y_hat = x - lr * y, y + lr * x
        x, y = x_hat, y_hat  # takes the trial step and stops: plain simultaneous GDA
        path.append((x, y))
    return np.array(path, dtype=float)
