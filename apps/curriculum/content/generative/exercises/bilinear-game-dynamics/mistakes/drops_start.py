# diagnosis: drops-start
import numpy as np


def simultaneous_gda(x0, y0, lr, steps):
    path, x, y = [], float(x0), float(y0)
    for _ in range(steps):
        x, y = x - lr * y, y + lr * x
        path.append((x, y))
    return np.array(path).reshape(-1, 2)


def extragradient(x0, y0, lr, steps):
    path, x, y = [], float(x0), float(y0)
    for _ in range(steps):
        x_hat, y_hat = x - lr * y, y + lr * x
        x, y = x - lr * y_hat, y + lr * x_hat
        path.append((x, y))
    return np.array(path).reshape(-1, 2)
