# diagnosis: includes-h0
import numpy as np


def rnn_forward(xs, h0, W_h, W_x, b):
    h = np.asarray(h0, dtype=float)
    states = [h]
    for x in np.asarray(xs, dtype=float):
        h = np.tanh(W_h @ h + W_x @ x + b)
        states.append(h)
    return np.stack(states)
