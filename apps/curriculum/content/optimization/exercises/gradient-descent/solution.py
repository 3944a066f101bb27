import numpy as np


def gradient_descent(grad, x0, lr, steps):
    """Iterates x_0..x_steps of x <- x - lr * grad(x); shape (steps + 1, *x0.shape)."""
    x = np.array(x0, dtype=float)
    iterates = [x.copy()]
    for _ in range(steps):
        x = x - lr * np.asarray(grad(x), dtype=float)
        iterates.append(x)
    return np.stack(iterates)
