import numpy as np


def simultaneous_gda(x0, y0, lr, steps):
    """Simultaneous descent on x, ascent on y for f = x*y. Returns (steps+1, 2) iterates."""
    path = [(x0, y0)]
    x, y = x0, y0
    for _ in range(steps):
        x = x - lr * y
        y = y - lr * x  # TODO: y is the maximising player, and should use the old x
        path.append((x, y))
    return np.array(path, dtype=float)


def extragradient(x0, y0, lr, steps):
    """Extragradient on f = x*y. Returns (steps+1, 2) iterates."""
    # TODO: take a trial step, then update from the original point with the trial gradient
    return simultaneous_gda(x0, y0, lr, steps)
