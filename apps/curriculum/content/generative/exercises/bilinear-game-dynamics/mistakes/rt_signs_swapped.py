# mistake: lets x ascend and y descend (x + lr*y, y - lr*x); x is the minimising player and steps against its gradient, y the maximising player and steps along it
# diagnosis: signs-swapped
import numpy as np


def simultaneous_gda(x0, y0, lr, steps):
    path = [(x0, y0)]
    x, y = x0, y0
    for _ in range(steps):
        x, y = x + lr * y, y - lr * x
        path.append((x, y))
    return np.array(path, dtype=float)


def extragradient(x0, y0, lr, steps):
    path = [(x0, y0)]
    x, y = x0, y0
    for _ in range(steps):
        xh, yh = x + lr * y, y - lr * x
        x, y = x + lr * yh, y - lr * xh
        path.append((x, y))
    return np.array(path, dtype=float)
