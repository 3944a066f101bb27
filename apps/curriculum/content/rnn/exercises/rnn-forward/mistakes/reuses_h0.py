# diagnosis: reuses-h0
import numpy as np


def rnn_forward(xs, h0, W_h, W_x, b):
    xs = np.asarray(xs, dtype=float)
    h0 = np.asarray(h0, dtype=float)
    return np.stack([np.tanh(W_h @ h0 + W_x @ x + b) for x in xs])
