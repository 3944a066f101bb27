# mistake: multiplies the state as a row vector, h @ W_h, which applies W_h transposed; the recurrence is W_h @ h
# diagnosis: transposed-recurrence
import numpy as np


def rnn_forward(xs, h0, W_h, W_x, b):
    xs = np.asarray(xs, dtype=float)
    h = np.array(h0, dtype=float)
    states = []
    for x in xs:
        h = np.tanh(h @ W_h + W_x @ x + b)
        states.append(h)
    return np.stack(states)
