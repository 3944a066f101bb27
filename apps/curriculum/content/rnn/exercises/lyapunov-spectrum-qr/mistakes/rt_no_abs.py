# mistake: the log is taken of the diagonal of R without the absolute value, so negative diagonal entries (a sign convention of the QR routine) give NaN; use log|R_ii|.
# diagnosis: no-absolute-value
import numpy as np


def lyapunov_spectrum(jacobians):
    Js = np.asarray(jacobians, dtype=np.float64)
    T, n, _ = Js.shape
    Q = np.eye(n, dtype=np.float64)
    acc = np.zeros(n, dtype=np.float64)
    for J in Js:
        Q, R = np.linalg.qr(J @ Q)
        acc += np.log(np.diag(R))
    lam = acc / T
    return -np.sort(-lam)
