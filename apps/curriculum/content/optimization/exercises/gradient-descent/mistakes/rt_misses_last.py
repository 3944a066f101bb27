# mistake: appends the current point before each update, so the list holds x_0 .. x_{T-1} (steps rows) and the last iterate is never stored; append after the update (or start the list with x0)
# diagnosis: misses-last
import numpy as np


def gradient_descent(grad, x0, lr, steps):
    x = np.array(x0, dtype=float)
    iterates = []
    for _ in range(steps):
        iterates.append(x)
        x = x - lr * grad(x)
    return np.array(iterates)
