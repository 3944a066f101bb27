# mistake: the sum of log|R_ii| is divided by the dimension n instead of the number of Jacobians T; the exponents are per step.
# diagnosis: divides-by-n
import numpy as np


def lyapunov_spectrum(jacobians):
    Js = np.asarray(jacobians, dtype=np.float64)
    T, n, _ = Js.shape
    Q = np.eye(n, dtype=np.float64)
    acc = np.zeros(n, dtype=np.float64)
    for J in Js:
        Q, R = np.linalg.qr(J @ Q)
        acc += np.log(np.abs(np.diag(R)))
    lam = acc / n
    return -np.sort(-lam)
