# mistake: x starts as x0 itself (no copy) and moves with x += s, so the caller's x0 ends at the last iterate; work on a copy, x = np.array(x0, dtype=float).
# diagnosis: modifies-x0
import numpy as np


def bfgs(f, grad, x0, steps, c1=1e-4):
    x = x0
    d = x.shape[0]
    M = np.eye(d)
    g = np.asarray(grad(x), dtype=float)
    out = [x.copy()]
    for _ in range(steps):
        p = -M @ g
        fx = f(x)
        alpha = 1.0
        for _ in range(41):
            if f(x + alpha * p) <= fx + c1 * alpha * (g @ p):
                break
            alpha /= 2
        else:
            out.append(x.copy())
            continue
        s = alpha * p
        x += s
        g_new = np.asarray(grad(x), dtype=float)
        y = g_new - g
        ys = y @ s
        if ys > 1e-10 * np.linalg.norm(s) * np.linalg.norm(y):
            rho = 1.0 / ys
            I = np.eye(d)
            M = (I - rho * np.outer(s, y)) @ M @ (I - rho * np.outer(y, s)) + rho * np.outer(s, s)
        g = g_new
        out.append(x.copy())
    return np.array(out)
