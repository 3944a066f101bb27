import numpy as np


def newton(grad, hess, x0, steps):
    """Pure Newton iterates; shape (steps + 1, d)."""
    x = np.array(x0, dtype=float)
    iterates = [x.copy()]
    for _ in range(steps):
        x = x - np.linalg.solve(np.asarray(hess(x), dtype=float), np.asarray(grad(x), dtype=float))
        iterates.append(x)
    return np.stack(iterates)
