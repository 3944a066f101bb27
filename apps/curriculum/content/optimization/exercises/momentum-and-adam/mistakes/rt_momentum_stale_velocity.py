# mistake: momentum moves with the old velocity before updating it (x = x - lr * v, then v = beta * v + grad(x)), so the first step does not move and every step lags one gradient; update v first, then x = x - lr * v
# diagnosis: stale-velocity
import numpy as np


def momentum(grad, x0, lr, beta, steps):
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    xs = [x.copy()]
    for _ in range(steps):
        x = x - lr * v
        v = beta * v + grad(x)
        xs.append(x.copy())
    return np.array(xs)


def adam(grad, x0, lr, steps, beta1=0.9, beta2=0.999, eps=1e-8):
    x = np.array(x0, dtype=float)
    m = np.zeros_like(x)
    s = np.zeros_like(x)
    xs = [x.copy()]
    for t in range(1, steps + 1):
        g = grad(x)
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g**2
        mh = m / (1 - beta1**t)
        sh = s / (1 - beta2**t)
        x = x - lr * mh / (np.sqrt(sh) + eps)
        xs.append(x.copy())
    return np.array(xs)
