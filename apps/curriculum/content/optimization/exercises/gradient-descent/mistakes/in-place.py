# diagnosis: stored-alias
import numpy as np


def gradient_descent(grad, x0, lr, steps):
    x = np.array(x0, dtype=float)
    iterates = [x]
    for _ in range(steps):
        x -= lr * grad(x)
        iterates.append(x)
    return np.array(iterates)
