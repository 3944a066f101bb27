import numpy as np


def simultaneous_gda(x0, y0, lr, steps):
    """Simultaneous descent on x, ascent on y for f = x*y. Returns (steps+1, 2) iterates."""
    path = np.empty((steps + 1, 2))
    x, y = float(x0), float(y0)
    path[0] = x, y
    for t in range(steps):
        x, y = x - lr * y, y + lr * x
        path[t + 1] = x, y
    return path


def extragradient(x0, y0, lr, steps):
    """Extragradient on f = x*y. Returns (steps+1, 2) iterates."""
    path = np.empty((steps + 1, 2))
    x, y = float(x0), float(y0)
    path[0] = x, y
    for t in range(steps):
        x_hat, y_hat = x - lr * y, y + lr * x
        x, y = x - lr * y_hat, y + lr * x_hat
        path[t + 1] = x, y
    return path
