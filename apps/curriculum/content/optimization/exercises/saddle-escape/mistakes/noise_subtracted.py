# mistake: the perturbation is subtracted, x - lr * grad(x) - noise[t]; the update adds it.
# diagnosis: noise-subtracted
import numpy as np


def noisy_gradient_descent(grad, x0, lr, noise):
    x = np.array(x0, dtype=float)
    iterates = [x.copy()]
    for t in range(len(noise)):
        x = x - lr * grad(x) - noise[t]
        iterates.append(x.copy())
    return np.array(iterates)


def newton_paths(grad, hess, x0, steps):
    def run(absolute):
        x = np.array(x0, dtype=float)
        iterates = [x.copy()]
        for _ in range(steps):
            lam, Q = np.linalg.eigh(hess(x))
            if absolute:
                lam = np.abs(lam)
            x = x - Q @ ((Q.T @ grad(x)) / lam)
            iterates.append(x.copy())
        return np.array(iterates)

    return run(False), run(True)
