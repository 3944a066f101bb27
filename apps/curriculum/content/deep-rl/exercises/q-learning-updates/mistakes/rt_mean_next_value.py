# mistake: bootstraps from the mean of the next state's action values instead of their maximum; the target is r + gamma * max_a' Q(s', a')
# diagnosis: mean-next-value
import numpy as np


def q_learning_updates(Q0, transitions, alpha, gamma):
    Q = np.array(Q0, dtype=float)
    for s, a, r, s_next in np.asarray(transitions, dtype=float).reshape(-1, 4):
        s, a, s_next = int(s), int(a), int(s_next)
        Q[s, a] += alpha * (r + gamma * Q[s_next].mean() - Q[s, a])
    return Q
