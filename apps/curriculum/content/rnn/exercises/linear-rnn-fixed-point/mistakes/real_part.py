# diagnosis: largest-real-part
import numpy as np


def linear_rnn_fixed_point(W, b):
    W = np.asarray(W, dtype=float)
    h_star = np.linalg.solve(np.eye(W.shape[0]) - W, b)
    rho = float(np.linalg.eigvals(W).real.max())
    return h_star, rho, rho < 1
