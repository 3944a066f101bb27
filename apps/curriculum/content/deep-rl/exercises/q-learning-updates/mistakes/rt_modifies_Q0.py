# mistake: updates Q0 itself (Q = np.asarray(Q0) makes no copy), so the result is right but the caller's initial table is overwritten; start from a copy, np.array(Q0, dtype=float)
# diagnosis: modifies-q0
import numpy as np


def q_learning_updates(Q0, transitions, alpha, gamma):
    Q = np.asarray(Q0, dtype=float)
    for s, a, r, s_next in np.asarray(transitions, dtype=float).reshape(-1, 4):
        s, a, s_next = int(s), int(a), int(s_next)
        Q[s, a] += alpha * (r + gamma * Q[s_next].max() - Q[s, a])
    return Q
