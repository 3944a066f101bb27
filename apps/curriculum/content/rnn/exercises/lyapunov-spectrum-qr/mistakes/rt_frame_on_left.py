# mistake: the frame multiplies on the wrong side, Q @ J instead of J @ Q; the perturbation frame is propagated by J_t Q_{t-1}.
# diagnosis: frame-on-left
import numpy as np


def lyapunov_spectrum(jacobians):
    Js = np.asarray(jacobians, dtype=np.float64)
    T, n, _ = Js.shape
    Q = np.eye(n, dtype=np.float64)
    acc = np.zeros(n, dtype=np.float64)
    for J in Js:
        Q, R = np.linalg.qr(Q @ J)
        acc += np.log(np.abs(np.diag(R)))
    lam = acc / T
    return -np.sort(-lam)
