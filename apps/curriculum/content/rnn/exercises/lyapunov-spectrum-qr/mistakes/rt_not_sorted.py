# mistake: the exponents are returned in the order of the diagonal of R without sorting them from largest to smallest; sort in decreasing order.
# diagnosis: not-sorted
import numpy as np


def lyapunov_spectrum(jacobians):
    Js = np.asarray(jacobians, dtype=np.float64)
    T, n, _ = Js.shape
    Q = np.eye(n, dtype=np.float64)
    acc = np.zeros(n, dtype=np.float64)
    for J in Js:
        Q, R = np.linalg.qr(J @ Q)
        acc += np.log(np.abs(np.diag(R)))
    lam = acc / T
    return lam
