# mistake: the exponents use np.log2 (bits per step) instead of the natural log (nats per step); use np.log.
# diagnosis: log2
import numpy as np


def lyapunov_spectrum(jacobians):
    Js = np.asarray(jacobians, dtype=np.float64)
    T, n, _ = Js.shape
    Q = np.eye(n, dtype=np.float64)
    acc = np.zeros(n, dtype=np.float64)
    for J in Js:
        Q, R = np.linalg.qr(J @ Q)
        acc += np.log2(np.abs(np.diag(R)))
    lam = acc / T
    return -np.sort(-lam)
