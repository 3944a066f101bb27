# mistake: the saddle-free step rebuilds |H| from the eigendecomposition but forgets the absolute value, so it divides by the signed eigenvalues like Newton's method.
# diagnosis: saddle-free-is-newton
import numpy as np


def noisy_gradient_descent(grad, x0, lr, noise):
    x = np.array(x0, dtype=float)
    iterates = [x.copy()]
    for t in range(len(noise)):
        x = x - lr * grad(x) + noise[t]
        iterates.append(x.copy())
    return np.array(iterates)


def newton_paths(grad, hess, x0, steps):
    x = np.array(x0, dtype=float)
    newton = [x.copy()]
    for _ in range(steps):
        x = x - np.linalg.solve(hess(x), grad(x))
        newton.append(x.copy())
    x = np.array(x0, dtype=float)
    saddle_free = [x.copy()]
    for _ in range(steps):
        lam, Q = np.linalg.eigh(hess(x))
        abs_h = Q @ np.diag(lam) @ Q.T
        x = x - np.linalg.solve(abs_h, grad(x))
        saddle_free.append(x.copy())
    return np.array(newton), np.array(saddle_free)
