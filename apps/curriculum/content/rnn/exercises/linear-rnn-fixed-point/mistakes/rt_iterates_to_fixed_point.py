# mistake: finds h* by running the recurrence h <- W h + b many times, which only converges when the fixed point is stable (rho < 1) and blows up for an unstable W; solve (I - W) h* = b directly
# diagnosis: iterated-to-fixed-point
import numpy as np


def linear_rnn_fixed_point(W, b):
    W = np.asarray(W, dtype=float)
    b = np.asarray(b, dtype=float)
    h = np.zeros_like(b)
    for _ in range(2000):
        h = W @ h + b
    rho = float(np.abs(np.linalg.eigvals(W)).max())
    return h, rho, bool(rho < 1)
