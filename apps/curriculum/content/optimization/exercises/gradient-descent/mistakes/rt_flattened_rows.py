# mistake: preallocates the result as (steps + 1, x0.size) and stores flattened iterates, so a matrix starting point comes back as rows of length x0.size instead of shape (steps + 1, *x0.shape)
# diagnosis: flattened-rows
import numpy as np


def gradient_descent(grad, x0, lr, steps):
    x = np.array(x0, dtype=float)
    out = np.zeros((steps + 1, x.size))
    out[0] = x.ravel()
    for t in range(steps):
        x = x - lr * grad(x)
        out[t + 1] = x.ravel()
    return out
