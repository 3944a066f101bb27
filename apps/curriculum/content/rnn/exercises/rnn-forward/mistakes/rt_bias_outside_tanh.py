# mistake: adds the bias after the nonlinearity, tanh(W_h h + W_x x) + b, so states can leave (-1, 1); the bias goes inside the tanh
# diagnosis: bias-outside-tanh
import numpy as np


def rnn_forward(xs, h0, W_h, W_x, b):
    xs = np.asarray(xs, dtype=float)
    h = np.array(h0, dtype=float)
    states = []
    for x in xs:
        h = np.tanh(W_h @ h + W_x @ x) + b
        states.append(h)
    return np.stack(states)
