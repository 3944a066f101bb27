# diagnosis: spectral-norm
import numpy as np


def linear_rnn_fixed_point(W, b):
    W = np.asarray(W, dtype=float)
    h_star = np.linalg.solve(np.eye(W.shape[0]) - W, b)
    rho = float(np.linalg.norm(W, 2))
    return h_star, rho, rho < 1
