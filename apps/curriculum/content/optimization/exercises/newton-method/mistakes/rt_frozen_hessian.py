# mistake: evaluates the Hessian once at x0 and reuses it for every step, which is exact for a quadratic but not Newton's method elsewhere; call hess(x) at the current iterate every step
# diagnosis: frozen-hessian
import numpy as np


def newton(grad, hess, x0, steps):
    x = np.array(x0, dtype=float)
    H = hess(x)
    xs = [x.copy()]
    for _ in range(steps):
        x = x - np.linalg.solve(H, grad(x))
        xs.append(x.copy())
    return np.array(xs)
