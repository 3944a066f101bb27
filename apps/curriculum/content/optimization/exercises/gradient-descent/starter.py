import numpy as np


def gradient_descent(grad, x0, lr, steps):
    """Iterates x_0..x_steps of x <- x - lr * grad(x); shape (steps + 1, *x0.shape)."""
    x = np.array(x0, dtype=float)
    iterates = []
    for _ in range(steps):
        # TODO: take a step against the gradient.
        iterates.append(x)
    return np.array(iterates)
