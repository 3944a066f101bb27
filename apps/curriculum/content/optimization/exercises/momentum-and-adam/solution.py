import numpy as np


def momentum(grad, x0, lr, beta, steps):
    """Heavy-ball iterates; shape (steps + 1, d)."""
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    iterates = [x.copy()]
    for _ in range(steps):
        v = beta * v + np.asarray(grad(x), dtype=float)
        x = x - lr * v
        iterates.append(x)
    return np.stack(iterates)


def adam(grad, x0, lr, steps, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam iterates with bias correction; shape (steps + 1, d)."""
    x = np.array(x0, dtype=float)
    m = np.zeros_like(x)
    s = np.zeros_like(x)
    iterates = [x.copy()]
    for t in range(1, steps + 1):
        g = np.asarray(grad(x), dtype=float)
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g * g
        m_hat = m / (1 - beta1**t)
        s_hat = s / (1 - beta2**t)
        x = x - lr * m_hat / (np.sqrt(s_hat) + eps)
        iterates.append(x)
    return np.stack(iterates)
