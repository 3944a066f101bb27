# mistake: saddle-free Newton starts from where Newton ended instead of from x0 (the point variable is not reset); run both methods from the same x0.
# diagnosis: saddle-free-not-restarted
import numpy as np


def noisy_gradient_descent(grad, x0, lr, noise):
    noise = np.asarray(noise, dtype=float)
    x = np.array(x0, dtype=float)
    out = np.zeros((len(noise) + 1, x.size))
    out[0] = x
    for t in range(len(noise)):
        x = x - lr * np.asarray(grad(x)) + noise[t]
        out[t + 1] = x
    return out


def newton_paths(grad, hess, x0, steps):
    x = np.array(x0, dtype=float)
    nw = [x.copy()]
    for _ in range(steps):
        x = x - np.linalg.solve(hess(x), grad(x))
        nw.append(x.copy())
    sf = [np.array(x0, dtype=float)]
    for _ in range(steps):
        lam, Q = np.linalg.eigh(hess(x))
        g = grad(x)
        x = x - Q @ ((Q.T @ g) / np.abs(lam))
        sf.append(x.copy())
    return np.array(nw), np.array(sf)
