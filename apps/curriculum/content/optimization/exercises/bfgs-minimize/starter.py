import numpy as np


def bfgs(f, grad, x0, steps, c1=1e-4):
    """BFGS with M_0 = I and a backtracking Armijo line search; iterates, shape (steps + 1, d)."""
    x = np.array(x0, dtype=float)
    iterates = [x.copy()]
    for _ in range(steps):
        # TODO: a quasi-Newton direction -M g, a backtracking line search, and the BFGS update.
        x = x - 1e-3 * grad(x)
        iterates.append(x.copy())
    return np.array(iterates)
