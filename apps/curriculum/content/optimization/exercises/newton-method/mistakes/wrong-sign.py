# diagnosis: step-sign
import numpy as np


def newton(grad, hess, x0, steps):
    x = np.array(x0, dtype=float)
    iterates = [x.copy()]
    for _ in range(steps):
        x = x + np.linalg.solve(hess(x), grad(x))
        iterates.append(x)
    return np.stack(iterates)
