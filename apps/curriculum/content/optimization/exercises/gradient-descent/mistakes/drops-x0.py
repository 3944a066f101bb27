# diagnosis: drops-x0
import numpy as np


def gradient_descent(grad, x0, lr, steps):
    x = np.array(x0, dtype=float)
    iterates = []
    for _ in range(steps):
        x = x - lr * grad(x)
        iterates.append(x)
    return np.array(iterates)
