# mistake: the Jacobians are applied in reverse order (jacobians[::-1]), i.e. the spectrum of J_1 ... J_T instead of J_T ... J_1; iterate in the given order, jacobians[0] first.
# diagnosis: reversed-order
import numpy as np


def lyapunov_spectrum(jacobians):
    Js = np.asarray(jacobians, dtype=np.float64)
    T, n, _ = Js.shape
    Q = np.eye(n, dtype=np.float64)
    acc = np.zeros(n, dtype=np.float64)
    for J in Js[::-1]:
        Q, R = np.linalg.qr(J @ Q)
        acc += np.log(np.abs(np.diag(R)))
    lam = acc / T
    return -np.sort(-lam)
