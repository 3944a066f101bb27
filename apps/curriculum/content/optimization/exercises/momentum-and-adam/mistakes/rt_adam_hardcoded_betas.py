# mistake: adam hard-codes 0.9 and 0.999 in the moving averages instead of using the beta1 and beta2 arguments, so non-default values are ignored
# diagnosis: fixed-betas
import numpy as np


def momentum(grad, x0, lr, beta, steps):
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    xs = [x.copy()]
    for _ in range(steps):
        v = beta * v + grad(x)
        x = x - lr * v
        xs.append(x.copy())
    return np.array(xs)


def adam(grad, x0, lr, steps, beta1=0.9, beta2=0.999, eps=1e-8):
    x = np.array(x0, dtype=float)
    m = np.zeros_like(x)
    s = np.zeros_like(x)
    xs = [x.copy()]
    for t in range(1, steps + 1):
        g = grad(x)
        m = 0.9 * m + 0.1 * g
        s = 0.999 * s + 0.001 * g**2
        mh = m / (1 - 0.9**t)
        sh = s / (1 - 0.999**t)
        x = x - lr * mh / (np.sqrt(sh) + eps)
        xs.append(x.copy())
    return np.array(xs)
