# mistake: every step takes alpha = 1 without the Armijo backtracking, so f can increase (Rosenbrock, scaled quadratic); try alpha = 1, 1/2, ... and accept the first that satisfies the Armijo condition.
# diagnosis: no-line-search
import numpy as np


def bfgs(f, grad, x0, steps, c1=1e-4):
    x = np.array(x0, dtype=float)
    d = x.shape[0]
    M = np.eye(d)
    g = np.asarray(grad(x), dtype=float)
    out = [x.copy()]
    for _ in range(steps):
        p = -M @ g
        fx = f(x)
        slope = g @ p
        alpha = 1.0
        accepted = False
        accepted = True
        if not accepted:
            out.append(x.copy())
            continue
        x_new = x + alpha * p
        g_new = np.asarray(grad(x_new), dtype=float)
        s = x_new - x
        y = g_new - g
        ys = y @ s
        if ys > 1e-10 * np.linalg.norm(s) * np.linalg.norm(y):
            rho = 1.0 / ys
            I = np.eye(d)
            M = (I - rho * np.outer(s, y)) @ M @ (I - rho * np.outer(y, s)) + rho * np.outer(s, s)
        x, g = x_new, g_new
        out.append(x.copy())
    return np.array(out)
