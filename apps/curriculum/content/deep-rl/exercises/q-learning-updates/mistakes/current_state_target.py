# mistake: bootstraps from the current state, r + gamma max_a Q(s, a), instead of the next state s'
# diagnosis: current-state-target
import numpy as np


def q_learning_updates(Q0, transitions, alpha, gamma):
    Q = np.array(Q0, dtype=float)
    for s, a, r, _s_next in np.asarray(transitions, dtype=float).reshape(-1, 4):
        s, a = int(s), int(a)
        Q[s, a] += alpha * (r + gamma * Q[s].max() - Q[s, a])
    return Q
