# mistake: discounts the whole target, gamma * (r + max_a' Q(s', a')), instead of only the bootstrapped value, r + gamma * max_a' Q(s', a')
# diagnosis: discounted-reward
import numpy as np


def q_learning_updates(Q0, transitions, alpha, gamma):
    Q = np.array(Q0, dtype=float)
    for s, a, r, s_next in np.asarray(transitions, dtype=float).reshape(-1, 4):
        s, a, s_next = int(s), int(a), int(s_next)
        Q[s, a] += alpha * (gamma * (r + Q[s_next].max()) - Q[s, a])
    return Q
