# mistake: works on x0 itself (x = x0, then x -= lr * grad(x)) and stores copies, so the iterates are right but the caller's x0 is overwritten with the last iterate; start from a copy, np.array(x0, dtype=float)
# diagnosis: mutates-x0
import numpy as np


def gradient_descent(grad, x0, lr, steps):
    x = x0
    iterates = [x.copy()]
    for _ in range(steps):
        x -= lr * grad(x)
        iterates.append(x.copy())
    return np.array(iterates)
