import numpy as np


def rnn_forward(xs, h0, W_h, W_x, b):
    """Hidden states h_1..h_T of h_t = tanh(W_h h_{t-1} + W_x x_t + b), shape (T, n)."""
    xs = np.asarray(xs, dtype=float)
    states = []
    for x in xs:
        # TODO: this ignores the previous state; the recurrence is missing.
        states.append(np.tanh(W_x @ x + b))
    return np.stack(states)
