# mistake: steps along the gradient, x + lr * grad(x), which is gradient ascent; subtract: x - lr * grad(x)
# diagnosis: ascent
import numpy as np


def gradient_descent(grad, x0, lr, steps):
    x = np.array(x0, dtype=float)
    iterates = [x]
    for _ in range(steps):
        x = x + lr * grad(x)
        iterates.append(x)
    return np.array(iterates)
