import numpy as np


def bfgs(f, grad, x0, steps, c1=1e-4):
    """BFGS with M_0 = I and a backtracking Armijo line search; iterates, shape (steps + 1, d)."""
    x = np.array(x0, dtype=float)
    n = x.size
    m = np.eye(n)
    g = np.asarray(grad(x), dtype=float)
    iterates = [x.copy()]
    for _ in range(steps):
        p = -m @ g
        fx, slope = f(x), g @ p
        alpha = 1.0
        for _ in range(41):
            if f(x + alpha * p) <= fx + c1 * alpha * slope:
                break
            alpha *= 0.5
        else:
            iterates.append(x.copy())  # no acceptable step: stay, and keep M
            continue
        x_new = x + alpha * p
        g_new = np.asarray(grad(x_new), dtype=float)
        s, y = x_new - x, g_new - g
        ys = y @ s
        if ys > 1e-10 * np.linalg.norm(s) * np.linalg.norm(y):
            rho = 1.0 / ys
            a = np.eye(n) - rho * np.outer(y, s)
            m = a.T @ m @ a + rho * np.outer(s, s)
        x, g = x_new, g_new
        iterates.append(x.copy())
    return np.array(iterates)
