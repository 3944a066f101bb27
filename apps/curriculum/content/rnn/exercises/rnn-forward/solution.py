import numpy as np


def rnn_forward(xs, h0, W_h, W_x, b):
    """Hidden states h_1..h_T of h_t = tanh(W_h h_{t-1} + W_x x_t + b), shape (T, n)."""
    xs = np.asarray(xs, dtype=float)
    h = np.asarray(h0, dtype=float)
    states = np.empty((xs.shape[0], h.shape[0]))
    for t, x in enumerate(xs):
        h = np.tanh(W_h @ h + W_x @ x + b)
        states[t] = h
    return states
