# mistake: simultaneous_gda updates x first and then y with the NEW x (alternating updates), instead of computing both from the old pair; write x, y = x - lr*y, y + lr*x in one statement
# diagnosis: alternating-updates
import numpy as np


def simultaneous_gda(x0, y0, lr, steps):
    path = [(x0, y0)]
    x, y = x0, y0
    for _ in range(steps):
        x = x - lr * y
        y = y + lr * x
        path.append((x, y))
    return np.array(path, dtype=float)


def extragradient(x0, y0, lr, steps):
    path = [(x0, y0)]
    x, y = x0, y0
    for _ in range(steps):
        xh, yh = x - lr * y, y + lr * x
        x, y = x - lr * yh, y + lr * xh
        path.append((x, y))
    return np.array(path, dtype=float)
