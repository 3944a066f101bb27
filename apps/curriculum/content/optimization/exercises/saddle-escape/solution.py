import numpy as np


def noisy_gradient_descent(grad, x0, lr, noise):
    """x_{t+1} = x_t - lr * grad(x_t) + noise[t]; all iterates, shape (T + 1, d)."""
    x = np.array(x0, dtype=float)
    iterates = [x.copy()]
    for xi in np.asarray(noise, dtype=float):
        x = x - lr * np.asarray(grad(x), dtype=float) + xi
        iterates.append(x.copy())
    return np.array(iterates)


def newton_paths(grad, hess, x0, steps):
    """Newton (-H^{-1} g) and saddle-free Newton (-|H|^{-1} g) iterates from x0."""

    def run(absolute):
        x = np.array(x0, dtype=float)
        iterates = [x.copy()]
        for _ in range(steps):
            values, vectors = np.linalg.eigh(np.asarray(hess(x), dtype=float))
            if absolute:
                values = np.abs(values)
            x = x - vectors @ ((vectors.T @ np.asarray(grad(x), dtype=float)) / values)
            iterates.append(x.copy())
        return np.array(iterates)

    return run(False), run(True)
