# mistake: solves (I - W)^T h = b (via b @ inv(I - W), treating h as a row vector), which is the fixed point of h = W^T h + b; solve (I - W) h* = b
# diagnosis: transposed-system
import numpy as np


def linear_rnn_fixed_point(W, b):
    W = np.asarray(W, dtype=float)
    b = np.asarray(b, dtype=float)
    h = b @ np.linalg.inv(np.eye(len(b)) - W)
    rho = float(np.abs(np.linalg.eigvals(W)).max())
    return h, rho, bool(rho < 1)
