# mistake: loops over range(1, steps), taking steps - 1 updates, so the result has one row too few; loop steps times
# diagnosis: one-step-short
import numpy as np


def newton(grad, hess, x0, steps):
    x = np.array(x0, dtype=float)
    xs = [x.copy()]
    for t in range(1, steps):
        x = x - np.linalg.solve(hess(x), grad(x))
        xs.append(x.copy())
    return np.array(xs)
