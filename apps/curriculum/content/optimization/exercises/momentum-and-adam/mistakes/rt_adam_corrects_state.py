# mistake: adam overwrites m and s with their bias-corrected values (m = m / (1 - beta1**t)), so the correction compounds from step to step; keep m, s uncorrected and correct into separate m_hat, s_hat
# diagnosis: correction-into-state
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
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g**2
        m = m / (1 - beta1**t)
        s = s / (1 - beta2**t)
        x = x - lr * m / (np.sqrt(s) + eps)
        xs.append(x.copy())
    return np.array(xs)
