# mistake: the Armijo test is written f(x + a p) <= f(x) - c1 a g.p; since g.p < 0 this accepts steps that increase f; the right side is f(x) + c1 a g.p.
# diagnosis: armijo-sign
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
        for _ in range(41):
            if f(x + alpha * p) <= fx - c1 * alpha * slope:
                accepted = True
                break
            alpha /= 2
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
