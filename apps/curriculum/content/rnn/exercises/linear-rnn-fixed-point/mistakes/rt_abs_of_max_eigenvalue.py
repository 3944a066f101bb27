# mistake: takes the modulus of the eigenvalue that np.max picks (the largest real part) instead of the largest modulus, so a dominant negative eigenvalue is missed; use np.abs(eigvals).max()
# diagnosis: modulus-of-largest-real-part
import numpy as np


def linear_rnn_fixed_point(W, b):
    W = np.asarray(W, dtype=float)
    b = np.asarray(b, dtype=float)
    h = np.linalg.solve(np.eye(len(b)) - W, b)
    rho = float(np.abs(np.max(np.linalg.eigvals(W))))
    return h, rho, bool(rho < 1)
