# mistake: passes the arguments of np.linalg.lstsq in the wrong roles, solving g^T d = H row-wise (lstsq(grad[:, None], hess)) instead of H d = g; the step is np.linalg.solve(hess(x), grad(x))
# diagnosis: lstsq-roles-swapped
import numpy as np


def newton(grad, hess, x0, steps):
    x = np.array(x0, dtype=float)
    xs = [x.copy()]
    for _ in range(steps):
        g = grad(x)
        d = np.linalg.lstsq(g[:, None], hess(x), rcond=None)[0][0]
        x = x - d
        xs.append(x.copy())
    return np.array(xs)
