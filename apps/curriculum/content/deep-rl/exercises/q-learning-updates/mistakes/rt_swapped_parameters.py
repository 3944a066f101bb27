# mistake: declares the parameters in the order (Q0, transitions, gamma, alpha), so the step size and the discount are swapped when called as the signature says; keep the order (Q0, transitions, alpha, gamma)
# diagnosis: alpha-gamma-swapped
import numpy as np


def q_learning_updates(Q0, transitions, gamma, alpha):
    Q = np.array(Q0, dtype=float)
    for s, a, r, s_next in np.asarray(transitions, dtype=float).reshape(-1, 4):
        s, a, s_next = int(s), int(a), int(s_next)
        Q[s, a] += alpha * (r + gamma * Q[s_next].max() - Q[s, a])
    return Q
