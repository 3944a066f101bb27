# mistake: decides stability from the fixed point itself (stable when |h*| is below 1) instead of from the spectral radius of the Jacobian; stable exactly when rho(W) < 1
# diagnosis: stability-from-h
import numpy as np


def linear_rnn_fixed_point(W, b):
    W = np.asarray(W, dtype=float)
    b = np.asarray(b, dtype=float)
    h = np.linalg.solve(np.eye(len(b)) - W, b)
    rho = float(np.abs(np.linalg.eigvals(W)).max())
    return h, rho, bool(np.linalg.norm(h) < 1)
