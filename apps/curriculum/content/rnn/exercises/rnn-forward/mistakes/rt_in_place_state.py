# mistake: updates the state in place (h[:] = ...) and appends the same array every step, so every stored row ends up equal to the last state; append a new array (h = np.tanh(...)) or a copy
# diagnosis: same-array-appended
import numpy as np


def rnn_forward(xs, h0, W_h, W_x, b):
    xs = np.asarray(xs, dtype=float)
    h = np.array(h0, dtype=float)
    states = []
    for x in xs:
        h[:] = np.tanh(W_h @ h + W_x @ x + b)
        states.append(h)
    return np.stack(states)
