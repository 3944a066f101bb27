import numpy as np


def lyapunov_spectrum(jacobians):
    """Lyapunov exponents of J_T ... J_1 by the QR method, largest first."""
    jacobians = np.asarray(jacobians, dtype=float)
    steps, n, _ = jacobians.shape
    Q = np.eye(n)
    total = np.zeros(n)
    for J in jacobians:
        Q, R = np.linalg.qr(J @ Q)
        total += np.log(np.abs(np.diag(R)))
    return np.sort(total / steps)[::-1]
