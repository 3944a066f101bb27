# diagnosis: damped-momentum
import numpy as np


def momentum(grad, x0, lr, beta, steps):
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    iterates = [x.copy()]
    for _ in range(steps):
        v = beta * v + (1 - beta) * grad(x)
        x = x - lr * v
        iterates.append(x)
    return np.stack(iterates)


def adam(grad, x0, lr, steps, beta1=0.9, beta2=0.999, eps=1e-8):
    x = np.array(x0, dtype=float)
    m = np.zeros_like(x)
    s = np.zeros_like(x)
    iterates = [x.copy()]
    for t in range(1, steps + 1):
        g = grad(x)
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g * g
        x = x - lr * (m / (1 - beta1**t)) / (np.sqrt(s / (1 - beta2**t)) + eps)
        iterates.append(x)
    return np.stack(iterates)
