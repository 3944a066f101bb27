import numpy as np


def momentum(grad, x0, lr, beta, steps):
    """Heavy-ball iterates; shape (steps + 1, d)."""
    x = np.array(x0, dtype=float)
    iterates = [x.copy()]
    for _ in range(steps):
        # TODO: keep a velocity; this is plain gradient descent.
        x = x - lr * grad(x)
        iterates.append(x)
    return np.stack(iterates)


def adam(grad, x0, lr, steps, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam iterates with bias correction; shape (steps + 1, d)."""
    x = np.array(x0, dtype=float)
    iterates = [x.copy()]
    for _ in range(steps):
        # TODO: moving averages m and s, bias correction, per-coordinate step.
        x = x - lr * np.sign(grad(x))
        iterates.append(x)
    return np.stack(iterates)
