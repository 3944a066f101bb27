import numpy as np


def noisy_gradient_descent(grad, x0, lr, noise):
    """x_{t+1} = x_t - lr * grad(x_t) + noise[t]; all iterates, shape (T + 1, d)."""
    x = np.array(x0, dtype=float)
    iterates = [x.copy()]
    for _ in range(len(noise)):
        # TODO: add the perturbation noise[t] after each step.
        x = x - lr * grad(x)
        iterates.append(x.copy())
    return np.array(iterates)


def newton_paths(grad, hess, x0, steps):
    """Newton (-H^{-1} g) and saddle-free Newton (-|H|^{-1} g) iterates from x0."""
    x = np.array(x0, dtype=float)
    newton = [x.copy()]
    for _ in range(steps):
        x = x - np.linalg.solve(hess(x), grad(x))
        newton.append(x.copy())
    newton = np.array(newton)
    # TODO: saddle-free Newton uses |H|, the Hessian with its eigenvalues made positive.
    return newton, newton.copy()
