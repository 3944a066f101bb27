# mistake: multiplies the gradient by the Hessian, x - H g, instead of solving H d = g; use x - np.linalg.solve(hess(x), grad(x))
# diagnosis: hessian-multiplied
import numpy as np


def newton(grad, hess, x0, steps):
    x = np.array(x0, dtype=float)
    xs = [x.copy()]
    for _ in range(steps):
        x = x - hess(x) @ grad(x)
        xs.append(x.copy())
    return np.array(xs)
