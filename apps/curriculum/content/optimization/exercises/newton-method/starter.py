import numpy as np


def newton(grad, hess, x0, steps):
    """Pure Newton iterates; shape (steps + 1, d)."""
    x = np.array(x0, dtype=float)
    iterates = [x.copy()]
    for _ in range(steps):
        # TODO: use the Hessian; this is a gradient step with a guessed learning rate.
        x = x - 0.01 * grad(x)
        iterates.append(x)
    return np.stack(iterates)
